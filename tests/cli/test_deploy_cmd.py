"""`flowgen deploy` against the local stack's real Prefect server: pools, deployments, schedule."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_process import flowgen

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def local_stack(tmp_path: Path) -> Iterator[tuple[dict[str, str], str]]:
    """`flowgen stack up` on free ports under this test's state dir; always `stack down`."""
    env = {"FLOWGEN_STATE_DIR": str(tmp_path / "state")}
    up = flowgen(
        "stack",
        "up",
        "--prefect-port",
        str(_free_port()),
        "--mlflow-port",
        str(_free_port()),
        "--json",
        env=env,
    )
    try:
        assert up.returncode == 0, up.stderr[-3000:]
        yield env, json.loads(up.stdout.strip().splitlines()[-1])["prefect_api_url"]
    finally:
        down = flowgen("stack", "down", env=env, timeout=120)
        assert down.returncode == 0, down.stderr[-2000:]


def _deployments(api: str) -> dict[str, dict]:
    flows = {f["id"]: f["name"] for f in httpx.post(f"{api}/flows/filter", json={}).json()}
    return {
        f"{flows[d['flow_id']]}/{d['name']}": d
        for d in httpx.post(f"{api}/deployments/filter", json={}).json()
    }


TRAIN_BY_DEPLOYMENT = """
import json, sys
from prefect import flow
from flows.train import TrainParams
from flows.weekly_retrain import run_train

@flow
def parent() -> dict:
    return run_train(TrainParams(dataset_uri=sys.argv[1], run_name="by-deployment",
                                 max_steps=2, base_model=sys.argv[2]))

print(json.dumps(parent()))
"""


def test_deploy_applies_pools_deployments_and_the_weekly_schedule(
    local_stack: tuple[dict[str, str], str], sample_dataset: Path, base_model: Path
) -> None:
    env, api = local_stack

    # production layout against an explicitly configured server: pools cpu and h200
    proc = flowgen("deploy", "--json", env={**env, "FLOWGEN_PREFECT_API_URL": api})
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["pools"] == {"cpu": "process", "h200": "kubernetes"}
    h200 = httpx.get(f"{api}/work_pools/h200").json()
    assert h200["concurrency_limit"] == 1
    variables = h200["base_job_template"]["variables"]["properties"]
    assert {"image", "gpus_per_node", "node_selector", "volumes", "env_from"} <= set(variables)
    deployed = _deployments(api)
    weekly = deployed["weekly-retrain/weekly-retrain"]
    assert weekly["work_pool_name"] == "cpu"
    assert weekly["parameters"]["params"]["recipe"] == "qwen3-32b-2x8h200"
    [schedule] = weekly["schedules"]
    assert schedule["schedule"]["cron"] == "0 3 * * 1"
    assert schedule["schedule"]["timezone"] == "UTC" and schedule["active"]
    assert deployed["backfill/backfill"]["schedules"] == []
    train = deployed["train/train"]
    assert train["work_pool_name"] == "h200"
    assert train["job_variables"]["gpus_per_node"] == 8
    assert train["concurrency_limit"] == 1 or train["global_concurrency_limit"]["limit"] == 1
    # the UI's backfill form comes from the flow's pydantic parameters
    schema = deployed["backfill/backfill"]["parameter_openapi_schema"]
    assert {"start", "end"} <= set(schema["definitions"]["BackfillParams"]["properties"])

    # the local stack by default: everything on its process pool, run from this checkout
    proc = flowgen("deploy", "--json", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["pools"] == {"local": "process"}
    deployed = _deployments(api)
    assert {d["work_pool_name"] for d in deployed.values()} == {"local"}
    env_vars = deployed["train/train"]["job_variables"]["env"]
    assert env_vars["FLOWGEN_STATE_DIR"] == str(Path(env["FLOWGEN_STATE_DIR"]).resolve())
    pull = deployed["weekly-retrain/weekly-retrain"]["pull_steps"][0]
    directory = pull["prefect.deployments.steps.set_working_directory"]["directory"]
    assert (Path(directory) / "flows" / "weekly_retrain.py").is_file()
    assert (
        deployed["weekly-retrain/weekly-retrain"]["schedules"][0]["schedule"]["cron"] == "0 3 * * 1"
    )

    # the weekly flow's training step goes through run_deployment: the stack's worker runs it
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "FLOWGEN_"))}
    parent = subprocess.run(
        [sys.executable, "-c", TRAIN_BY_DEPLOYMENT, str(sample_dataset), str(base_model)],
        capture_output=True,
        text=True,
        env={**clean, **env, "PREFECT_API_URL": api},
        cwd=Path(directory),
        timeout=600,
        check=False,
    )
    assert parent.returncode == 0, parent.stderr[-3000:]
    summary = json.loads(parent.stdout.strip().splitlines()[-1])
    assert summary["finished"] and summary["steps_done"] == 2
    runs = httpx.post(
        f"{api}/flow_runs/filter", json={"flow_runs": {"name": {"any_": ["train-by-deployment"]}}}
    ).json()
    [run] = runs
    assert run["deployment_id"] == deployed["train/train"]["id"]
    assert run["state_type"] == "COMPLETED" and run["parent_task_run_id"]


def test_deploy_without_a_server_says_how_to_get_one(tmp_path: Path) -> None:
    proc = flowgen("deploy", env={"FLOWGEN_STATE_DIR": str(tmp_path / "state")}, timeout=120)
    assert proc.returncode == 2
    assert "flowgen stack up" in proc.stderr.strip().splitlines()[-1]
    assert "Traceback" not in proc.stderr
