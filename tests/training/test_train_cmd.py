"""`flowgen train` end to end: bootstraps the tiny base, launches torchrun, reports JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowgen_core.training.fsdp import content_hash

pytestmark = pytest.mark.slow


def flowgen(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flowgen_core.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def test_flowgen_train_reports_losses_model_and_mlflow_run(
    tmp_path: Path, dataset_dir: Path
) -> None:
    env = {
        "FLOWGEN_STATE_DIR": str(tmp_path / "state"),
        "FLOWGEN_MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}",
    }
    proc = flowgen("train", "--dataset", str(dataset_dir), "--max-steps", "3", "--json", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["loss_last"] < out["loss_first"]
    assert out["steps_done"] == 3 and out["mlflow_run_id"]
    assert (tmp_path / "state" / "models" / "tiny-base" / "config.json").is_file()
    assert Path(out["model_uri"]).is_relative_to(tmp_path / "state" / "artifacts")
    assert content_hash(Path(out["model_uri"])) == out["model_hash"]
    assert "step 3/3" in proc.stderr  # progress streams to stderr


def test_flowgen_train_rejects_bad_input_in_one_line(tmp_path: Path) -> None:
    env = {"FLOWGEN_STATE_DIR": str(tmp_path / "state")}
    proc = flowgen("train", "--dataset", str(tmp_path / "nope"), env=env)
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("flowgen: error: --dataset") and "no manifest.json" in last
    assert "Traceback" not in proc.stderr
    proc = flowgen("train", "--dataset", str(tmp_path), "--recipe", "huge", env=env)
    assert proc.returncode == 2 and "choose one of tiny" in proc.stderr
