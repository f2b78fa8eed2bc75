"""Training fixtures: the tiny base's tokenizer and model (the dataset and base are in
tests/conftest.py, shared with the CLI tests) and the trainer launched under torchrun."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase


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
