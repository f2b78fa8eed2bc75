"""The trainer under torchrun: 2 CPU processes, FSDP2, loss falls, every parameter trains."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import mlflow
import pytest
from safetensors.torch import load_file

from flowgen_core.artifacts import folder_hash
from flowgen_core.training.config import OptimConfig
from flowgen_core.training.trainer import lr_lambda

pytestmark = pytest.mark.slow

GUARDS = {
    "over_length",
    "zero_trained_tokens",
    "eos_not_pad",
    "loss_mask_decode",
    "template_drift",
    "tool_json_roundtrip",
    "fsdp_sharding",
    "packed_vs_alone",
}


def test_two_process_fsdp_run_trains_every_parameter(cli_run: dict[str, Any]) -> None:
    summary = cli_run["summary"]
    assert summary["finished"] and summary["world_size"] == 2 and summary["steps_done"] == 6
    assert summary["loss_last"] < summary["loss_first"] - 0.3
    assert set(summary["guards"]) == GUARDS
    assert all(g["passed"] for g in summary["guards"].values())
    before = load_file(cli_run["root"] / "state" / "models" / "tiny-base" / "model.safetensors")
    after = load_file(Path(summary["model_dir"]) / "model.safetensors")
    assert summary["guards"]["fsdp_sharding"]["detail"].startswith(
        f"{len(before)} parameters are DTensors over world size 2"
    )
    assert before.keys() == after.keys()
    assert [k for k in before if (before[k] == after[k]).all()] == []  # every parameter changed


def test_export_is_a_hashed_hf_folder_in_the_artifact_store(cli_run: dict[str, Any]) -> None:
    summary = cli_run["summary"]
    model_uri = Path(summary["model_uri"])
    assert model_uri.is_relative_to(cli_run["root"] / "state" / "artifacts" / "models")
    assert model_uri.name == summary["model_hash"][:16]
    assert (
        folder_hash(model_uri) == summary["model_hash"] == folder_hash(Path(summary["model_dir"]))
    )
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {
        p.name for p in model_uri.iterdir()
    }
    # The final checkpoint (with the resolved config) also went to the store.
    stored = cli_run["root"] / "state" / "artifacts" / "runs" / summary["run_name"]
    assert (stored / "checkpoints" / "LATEST").read_text() == "step_000006"
    saved = json.loads((stored / "checkpoints" / "step_000006" / "config.json").read_text())
    assert saved["max_steps"] == 6 and saved["parallel"]["world_size"] == 2
    # ...and the summary names it by content: the registry's checkpoint_hash lineage tag
    assert summary["checkpoint_hash"] == folder_hash(stored / "checkpoints" / "step_000006")


def test_run_is_logged_to_mlflow(cli_run: dict[str, Any], dataset_dir: Path) -> None:
    summary = cli_run["summary"]
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{cli_run['root'] / 'mlflow.db'}")
    run = client.get_run(summary["mlflow_run_id"])
    manifest = json.loads((dataset_dir / "manifest.json").read_text())
    assert run.data.tags["dataset_hash"] == manifest["hash"] == summary["dataset_hash"]
    assert run.data.tags["model_hash"] == summary["model_hash"]
    assert {run.data.tags[f"guard.{g}"] for g in GUARDS} == {"passed"}
    assert run.data.params["packing.seq_len"] == "2048"
    assert run.data.params["parallel.world_size"] == "2"
    assert run.data.params["model.attn_implementation"] == "packed"
    losses = client.get_metric_history(run.info.run_id, "loss")
    assert [m.step for m in losses] == list(range(1, 7))
    assert losses[-1].value == pytest.approx(summary["loss_last"])
    for key in ("lr", "grad_norm", "tokens_per_s", "trained_token_fraction", "packing_efficiency"):
        assert key in run.data.metrics, key
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"model", "packing", "guards.json", "summary.json"} <= artifacts
    packing = {a.path for a in client.list_artifacts(run.info.run_id, "packing")}
    assert {"packing/length_histogram.png", "packing/stats.json"} <= packing
    model_files = {a.path for a in client.list_artifacts(run.info.run_id, "model")}
    assert "model/model.safetensors" in model_files


def test_schedule_warms_up_then_decays_to_the_floor() -> None:
    f = lr_lambda(OptimConfig(lr=1.0, warmup_steps=2, min_lr_ratio=0.1), total_steps=10)
    values = [f(s) for s in range(11)]
    assert values[0] < values[1] < values[2] == 1.0
    assert all(a >= b for a, b in itertools.pairwise(values[2:]))
    assert values[10] == pytest.approx(0.1)
