"""Where training starts: the champion's weights, checked by hash, with their own schedule."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from flowgen_core.artifacts import folder_hash
from flowgen_core.errors import InvalidInput
from flowgen_core.training import recipes, start_weights
from flowgen_core.training.config import TrainConfig
from flowgen_core.training.warm_start import WARM_START_OPTIM, warm_start

from .conftest import run_trainer


def test_a_warm_start_points_at_the_champion_with_a_gentler_schedule(
    base_dir: Path, dataset_dir: Path, tmp_path: Path
) -> None:
    cfg = recipes.tiny(str(tmp_path / "base"), str(dataset_dir), str(tmp_path / "run"))
    warm = warm_start(cfg, "tiny", base_dir, folder_hash(base_dir))
    assert warm.model.path == str(base_dir)
    assert warm.optim == WARM_START_OPTIM["tiny"]
    assert warm.optim.lr < cfg.optim.lr and warm.optim.warmup_steps < cfg.optim.warmup_steps
    assert (warm.max_steps, warm.packing, warm.parallel) == (
        cfg.max_steps,
        cfg.packing,
        cfg.parallel,
    )
    # a folder that is not the champion's (a partial or stale copy) never trains
    stale = tmp_path / "stale"
    shutil.copytree(base_dir, stale)
    (stale / "config.json").write_text((stale / "config.json").read_text() + " ")
    with pytest.raises(InvalidInput, match="not the champion's"):
        warm_start(cfg, "tiny", stale, folder_hash(base_dir))


def test_init_champion_without_a_champion_starts_from_the_base_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    champion = {"version": "3", "model_uri": "s3://b/models/x", "model_hash": "ab" * 32}
    with caplog.at_level(logging.INFO, logger="flowgen.training"):
        assert start_weights("champion", None) == {"init": "base"}
    [line] = [r.getMessage() for r in caplog.records]
    assert "no champion yet" in line and "base" in line
    assert start_weights("base", champion) == {"init": "base"}
    assert start_weights("champion", champion) == {
        "init": "champion",
        "init_model_uri": "s3://b/models/x",
        "init_model_hash": "ab" * 32,
    }


@pytest.mark.slow
@pytest.mark.integration
def test_a_warm_start_loads_the_champions_weights(cli_run: dict[str, Any], tmp_path: Path) -> None:
    # the suite's one training run is the champion
    champion = Path(cli_run["summary"]["model_dir"])
    champion_hash = cli_run["summary"]["model_hash"]
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    cfg = replace(
        TrainConfig.load(cli_run["run_dir"] / "config.json"),
        run_dir=str(run_dir),
        run_name="warm",
        max_steps=1,
        artifact_root="",
        mlflow_tracking_uri="",
    )
    cfg = warm_start(cfg, "tiny", champion, champion_hash)
    # a learning rate too small to move any fp32 weight: what the run loaded is what it exports
    cfg = replace(cfg, optim=replace(cfg.optim, lr=1e-30, warmup_steps=0))
    cfg.save(tmp_path / "config.json")
    done = run_trainer(tmp_path / "config.json")
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["model_hash"] == champion_hash
    # and it starts where the champion left off, not where the base started
    assert summary["loss_first"] < cli_run["summary"]["loss_first"]
