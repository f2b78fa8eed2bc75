"""Shared fixtures: a small dataset in the contract's shape and a bootstrapped tiny Qwen3."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase

from flowgen_core.agent.render import load_split
from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model

# The tests' own model size (the old demo default at vocab 1024), pinned so they stay fast
# whatever size the embedded demo default (TinyModelConfig()) has.
SMALL_MODEL = TinyModelConfig(
    vocab_size=1024,
    hidden_size=64,
    intermediate_size=192,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    head_dim=16,
)


@pytest.fixture(scope="session")
def rows(dataset_dir: Path) -> list[dict]:
    return load_split(dataset_dir, "train")


@pytest.fixture(scope="session")
def base_dir(tmp_path_factory: pytest.TempPathFactory, rows: list[dict]) -> Path:
    corpus = [r["messages"] for r in rows] + [r["tools"] for r in rows[:1]]
    out = tmp_path_factory.mktemp("base")
    return bootstrap_base_model(corpus, out, SMALL_MODEL)


@pytest.fixture(scope="session")
def tokenizer(base_dir: Path) -> PreTrainedTokenizerBase:
    return AutoTokenizer.from_pretrained(base_dir)


@pytest.fixture()
def model(base_dir: Path):  # type: ignore[no-untyped-def]
    m = AutoModelForCausalLM.from_pretrained(base_dir, attn_implementation="sdpa")
    m.eval()
    return m


def messages_of(row: dict) -> list[dict]:
    """The row's messages as stored (JSON text parsed once)."""
    return json.loads(row["messages"])


def trainer_command(config_path: Path, resume: bool = False) -> list[str]:
    """The trainer under torchrun with 2 processes, as `flowgen train` launches it."""
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node",
        "2",
        "-m",
        "flowgen_core.training.trainer",
        "--config",
        str(config_path),
    ]
    return cmd + (["--resume"] if resume else [])


def run_trainer(config_path: Path, resume: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the trainer to its end."""
    return subprocess.run(
        trainer_command(config_path, resume),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
