"""Shared fixtures: a small dataset in the contract's shape and a bootstrapped tiny Qwen3."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase

from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model
from flowgen_core.training.render import load_split
from flowgen_core.training.sample_data import write_dataset


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
    return bootstrap_base_model(corpus, out, TinyModelConfig(vocab_size=1024))


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


def tiny_config(base_dir: Path, dataset_dir: Path, run_dir: Path, **changes):  # type: ignore[no-untyped-def]
    """The tiny recipe shrunk for tests: 6 steps, checkpoints every 2, 2 processes."""
    from dataclasses import replace

    from flowgen_core.training.recipes import tiny

    cfg = tiny(str(base_dir), str(dataset_dir), str(run_dir), nproc=2)
    return replace(cfg, max_steps=6, checkpoint_every=2, **changes)


def run_trainer(config_path: Path, resume: bool = False) -> subprocess.CompletedProcess[str]:
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
    return subprocess.run(
        cmd + (["--resume"] if resume else []),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def full_run(tmp_path_factory: pytest.TempPathFactory, base_dir: Path, dataset_dir: Path) -> Path:
    """One uninterrupted 6-step run with MLflow (sqlite) and a local artifact store."""
    root = tmp_path_factory.mktemp("full_run")
    cfg = tiny_config(
        base_dir,
        dataset_dir,
        root / "run",
        mlflow_tracking_uri=f"sqlite:///{root / 'mlflow.db'}",
        artifact_root=str(root / "artifacts"),
    )
    (root / "run").mkdir()
    cfg.save(root / "config.json")
    proc = run_trainer(root / "config.json")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return root
