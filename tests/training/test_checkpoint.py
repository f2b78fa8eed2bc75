"""Checkpoints and resume: kill a run, lose its folder, resume from S3, end at the same loss."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from flowgen_core.training.checkpoint import latest, stored_latest
from flowgen_core.training.config import TrainConfig

from .conftest import run_trainer, trainer_command

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture()
def s3_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A bucket on a real S3-compatible server (moto server mode): (root URI, endpoint)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for key, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(key, value)  # the trainer processes inherit these
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="ckpt")
    yield "s3://ckpt/flowgen", endpoint
    server.stop()


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (from /proc)."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited while we looked
        parent[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [c for c, p in parent.items() if p in frontier]
        found += children
        frontier = children
    return found


def test_killed_run_resumes_from_the_artifact_store_to_the_uninterrupted_loss(
    tmp_path: Path, cli_run: dict[str, Any], s3_root: tuple[str, str]
) -> None:
    root, endpoint = s3_root
    run_dir = tmp_path / "run"
    # The CLI run's resolved config, checkpointing every 2 steps to S3, no MLflow.
    cfg = replace(
        TrainConfig.load(cli_run["run_dir"] / "config.json"),
        run_dir=str(run_dir),
        run_name="killed",
        artifact_root=root,
        s3_endpoint_url=endpoint,
        checkpoint_every=2,
        mlflow_tracking_uri="",
    )
    run_dir.mkdir()
    cfg.save(tmp_path / "config.json")
    proc = subprocess.Popen(
        trainer_command(tmp_path / "config.json"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while stored_latest(cfg) is None and proc.poll() is None:
            assert time.monotonic() < deadline, "no checkpoint reached the store in time"
            time.sleep(0.05)
    finally:
        # As a preempted node: torchrun and its workers (own sessions) die with no cleanup.
        for pid in [proc.pid, *descendants(proc.pid)]:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not (run_dir / "summary.json").exists()  # the kill landed mid-run
    stored = stored_latest(cfg)
    assert stored is not None and stored < "step_000006"

    shutil.rmtree(run_dir)  # a new pod: the local run folder is gone, only the store is left
    run_dir.mkdir()
    resumed = run_trainer(tmp_path / "config.json", resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f"fetched checkpoint {stored}" in resumed.stderr
    assert f"resumed from {run_dir / 'checkpoints' / stored}" in resumed.stderr
    after = json.loads((run_dir / "summary.json").read_text())
    whole = cli_run["summary"]
    assert after["finished"] and after["steps_done"] == 6
    assert abs(after["loss_last"] - whole["loss_last"]) < 1e-4
    assert after["loss_first"] == pytest.approx(whole["loss_first"], abs=1e-4)
    assert latest(run_dir).name == "step_000006" and stored_latest(cfg) == "step_000006"
    # Every 2 steps and at the end, each checkpoint complete in the store.
    s3 = boto3.client("s3", endpoint_url=endpoint)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="ckpt")["Contents"]]
    prefix = "flowgen/runs/killed/checkpoints/"
    steps = {k[len(prefix) :].split("/")[0] for k in keys if k.startswith(prefix)}
    assert steps == {"LATEST", "step_000002", "step_000004", "step_000006"}
    for step in ("step_000002", "step_000004", "step_000006"):
        files = {k.rsplit("/", 1)[1] for k in keys if k.startswith(prefix + step + "/")}
        assert {".metadata", "config.json", "losses.json", "extra_rank1.pt"} <= files, step
