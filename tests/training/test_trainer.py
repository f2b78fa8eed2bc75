"""The trainer under torchrun: 2 CPU processes, FSDP2, loss falls, every parameter trains."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import mlflow
import pytest
from safetensors.torch import load_file

from flowgen_core.training.config import OptimConfig
from flowgen_core.training.fsdp import content_hash
from flowgen_core.training.trainer import lr_lambda

pytestmark = pytest.mark.slow


def test_two_process_fsdp_run_trains_every_parameter(full_run: Path, base_dir: Path) -> None:
    summary = json.loads((full_run / "run" / "summary.json").read_text())
    assert summary["finished"] and summary["world_size"] == 2
    assert summary["loss_last"] < summary["loss_first"] - 0.3
    assert all(g["passed"] for g in summary["guards"].values())
    assert set(summary["guards"]) == {
        "over_length",
        "zero_trained_tokens",
        "eos_not_pad",
        "loss_mask_decode",
        "template_drift",
        "tool_json_roundtrip",
        "fsdp_sharding",
        "packed_vs_alone",
    }
    before = load_file(base_dir / "model.safetensors")
    after = load_file(Path(summary["model_dir"]) / "model.safetensors")
    assert summary["guards"]["fsdp_sharding"]["detail"].startswith(
        f"{len(before)} parameters are DTensors"
    )
    assert before.keys() == after.keys()
    unchanged = [k for k in before if (before[k] == after[k]).all()]
    assert unchanged == []
    assert summary["model_hash"] == content_hash(Path(summary["model_dir"]))
    assert Path(summary["model_uri"]).is_relative_to(full_run / "artifacts")
    assert content_hash(Path(summary["model_uri"])) == summary["model_hash"]


def test_run_is_logged_to_mlflow(full_run: Path, dataset_dir: Path) -> None:
    summary = json.loads((full_run / "run" / "summary.json").read_text())
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{full_run / 'mlflow.db'}")
    run = client.get_run(summary["mlflow_run_id"])
    manifest = json.loads((dataset_dir / "manifest.json").read_text())
    assert run.data.tags["dataset_hash"] == manifest["hash"] == summary["dataset_hash"]
    assert run.data.tags["model_hash"] == summary["model_hash"]
    assert run.data.params["packing.seq_len"] == "2048"
    assert run.data.params["parallel.world_size"] == "2"
    losses = client.get_metric_history(run.info.run_id, "loss")
    assert [m.step for m in losses] == list(range(1, 7))
    for key in ("lr", "grad_norm", "tokens_per_s", "trained_token_fraction", "packing_efficiency"):
        assert key in run.data.metrics, key
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"model", "packing", "guards.json", "summary.json"} <= artifacts
    packing = {a.path for a in client.list_artifacts(run.info.run_id, "packing")}
    assert {"packing/length_histogram.png", "packing/stats.json"} <= packing


def test_schedule_warms_up_then_decays_to_the_floor() -> None:
    f = lr_lambda(OptimConfig(lr=1.0, warmup_steps=2, min_lr_ratio=0.1), total_steps=10)
    values = [f(s) for s in range(11)]
    assert values[0] < values[1] < values[2] == 1.0
    assert all(a >= b for a, b in itertools.pairwise(values[2:]))
    assert values[10] == pytest.approx(0.1)
