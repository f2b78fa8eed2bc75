"""The tiny recipe's base model: the shipped pretrained base, or a fresh init.

A tiny model trained from a random init on one week (~370 examples, 300 steps) learns the
trajectory format but not the request -> workflow mapping (docs/benchmarks.md, "Tiny demo
model"). Production fine-tunes a pretrained model; the tiny recipe's analogue is `tiny_pretrained/`
next to this file: the same Qwen3 shape, pretrained once on the generated corpus
(`flowgen_core.data.corpus`) with the `tiny-pretrain` recipe, shipped with the package in bf16
(~2.6 MB; the trainer loads it in fp32), and only fine-tuned by the weekly runs.

Rebuild it bit for bit (2 processes, as shipped; ~10 min on 2 idle cores, 40 under load):

    flowgen data corpus --examples 3200 --json           # -> <state>/corpus/<hash>
    flowgen train --recipe tiny-pretrain --dataset <state>/corpus/<hash> --max-steps 450 --json
    python -m flowgen_core.training.base <the run's model dir>   # writes tiny_pretrained/

`SHIPPED_HASH` is the content hash of the shipped folder (`artifacts.folder_hash`), checked by
the tests, so a rebuild that differs shows.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from flowgen_core.artifacts import folder_hash
from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model

log = logging.getLogger("flowgen.training.base")

SHIPPED = Path(__file__).with_name("tiny_pretrained")
SHIPPED_HASH = ""  # set when tiny_pretrained/ is written (see the module docstring)


def tiny_base(state_path: Path, corpus: Callable[[], list[str]], pretrained: bool = True) -> Path:
    """The base model folder the tiny recipe fine-tunes.

    The shipped pretrained base when there is one (and `pretrained`); else a randomly initialised
    model bootstrapped once under `<state>/models/tiny-base` with a tokenizer fitted to
    `corpus()` (the week's domain text).
    """
    if pretrained and (SHIPPED / "config.json").is_file():
        return SHIPPED
    return fresh_init(state_path / "models" / "tiny-base", corpus)


def fresh_init(path: Path, corpus: Callable[[], list[str]]) -> Path:
    """A randomly initialised tiny model in `path`, bootstrapped on first use with a tokenizer
    fitted to `corpus()` (called only then)."""
    if not (path / "config.json").is_file():
        log.info("bootstrapping the tiny base model into %s", path)
        bootstrap_base_model(corpus(), path, TinyModelConfig())
    return path


def ship(model_dir: Path, out: Path = SHIPPED) -> str:
    """Write a trained tiny model as the shipped base (bf16 weights); its content hash."""
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp)
        model.bfloat16().save_pretrained(staged)
        tokenizer.save_pretrained(staged)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(staged, out)
    return folder_hash(out)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(ship(Path(sys.argv[1])))
