"""Checkpoints and resume: stop after N steps, resume, end where an uninterrupted run ends."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from flowgen_core.training.checkpoint import latest

from .conftest import run_trainer, tiny_config

pytestmark = pytest.mark.slow


def test_resume_ends_at_the_uninterrupted_loss(
    tmp_path: Path, full_run: Path, base_dir: Path, dataset_dir: Path
) -> None:
    cfg = tiny_config(base_dir, dataset_dir, tmp_path / "run", stop_at_step=3)
    (tmp_path / "run").mkdir()
    cfg.save(tmp_path / "config.json")
    first = run_trainer(tmp_path / "config.json")
    assert first.returncode == 0, first.stderr[-3000:]
    stopped = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert stopped["steps_done"] == 3 and not stopped["finished"]
    ckpt = latest(tmp_path / "run")
    assert ckpt is not None and ckpt.name == "step_000003"
    saved = json.loads((ckpt / "config.json").read_text())
    assert saved["stop_at_step"] == 3 and saved["packing"]["seq_len"] == 2048

    replace(cfg, stop_at_step=0).save(tmp_path / "config.json")
    resumed = run_trainer(tmp_path / "config.json", resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resumed from" in resumed.stderr
    after = json.loads((tmp_path / "run" / "summary.json").read_text())
    whole = json.loads((full_run / "run" / "summary.json").read_text())
    assert after["finished"] and after["steps_done"] == 6
    assert abs(after["loss_last"] - whole["loss_last"]) < 1e-4
    assert after["loss_first"] == pytest.approx(whole["loss_first"], abs=1e-4)
    assert latest(tmp_path / "run").name == "step_000006"
