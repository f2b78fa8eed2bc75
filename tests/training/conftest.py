"""Shared fixtures: a small dataset in the contract's shape and a bootstrapped tiny Qwen3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.sample_data import write_dataset
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
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("dataset"), n_train=24, n_validation=4, seed=1)


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


@pytest.fixture(scope="session")
def cli_run(tmp_path_factory: pytest.TempPathFactory, dataset_dir: Path) -> dict[str, Any]:
    """`flowgen train --max-steps 6 --json` on the sample data: the suite's one full run.

    Bootstraps the tiny base under the state dir, logs to MLflow (sqlite), exports to the
    default local artifact store. Returns the state root, the JSON summary, stderr, run dir.
    """
    root = tmp_path_factory.mktemp("cli_run")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOWGEN_")}
    env["FLOWGEN_STATE_DIR"] = str(root / "state")
    env["FLOWGEN_MLFLOW_TRACKING_URI"] = f"sqlite:///{root / 'mlflow.db'}"
    cmd = [sys.executable, "-m", "flowgen_core.cli", "train", "--dataset", str(dataset_dir)]
    proc = subprocess.run(
        [*cmd, "--max-steps", "6", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    run_dir = Path(summary["model_dir"]).parent
    return {"root": root, "summary": summary, "stderr": proc.stderr, "run_dir": run_dir}
