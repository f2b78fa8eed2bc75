"""`flowgen train` end to end: bootstraps the tiny base, launches torchrun, reports JSON."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowgen_core.cli import main


@pytest.fixture(autouse=True)
def _drop_cli_log_handler() -> Iterator[None]:
    """main() attaches a stderr handler to the root logger; capsys closes that stream after."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_flowgen", False)]:
        root.removeHandler(handler)


@pytest.mark.slow
def test_flowgen_train_reports_losses_model_and_mlflow_run(cli_run: dict[str, Any]) -> None:
    out = cli_run["summary"]  # the last stdout line of `flowgen train ... --json`
    for key in ("loss_first", "loss_last", "model_uri", "model_hash", "mlflow_run_id"):
        assert out[key], key
    assert out["loss_last"] < out["loss_first"]
    assert (cli_run["root"] / "state" / "models" / "tiny-base" / "config.json").is_file()
    assert "step 6/6" in cli_run["stderr"]  # progress streams to stderr
    config = json.loads((cli_run["run_dir"] / "config.json").read_text())
    assert config["run_name"] == out["run_name"] == f"tiny-{out['dataset_hash'][:12]}"


def test_flowgen_train_rejects_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--dataset", str(tmp_path / "nope")]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("flowgen: error: --dataset") and "no manifest.json" in last
    assert main(["train", "--dataset", str(tmp_path), "--recipe", "huge"]) == 2
    assert "choose one of tiny" in capsys.readouterr().err
    assert main(["train", "--dataset", str(tmp_path), "--nproc", "0"]) == 2
    assert "--nproc must be >= 1" in capsys.readouterr().err


def test_flowgen_train_resume_without_a_checkpoint_is_a_usage_error(
    tmp_path: Path, dataset_dir: Path, base_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--dataset", str(dataset_dir), "--base-model", str(base_dir), "--resume"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--resume: no checkpoint under" in err.strip().splitlines()[-1]
    assert not (tmp_path / ".flowgen" / "runs").exists()  # nothing partial written
