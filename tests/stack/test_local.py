"""`flowgen stack up | status | down` with real Prefect and MLflow servers
(tests flowgen_core/stack/local.py and flowgen_core/cli/stack_cmd.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from flowgen_core.settings import load_settings
from flowgen_core.stack import mlflow_tracking_uri, prefect_api_url, stop_embedded

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flowgen(*args: str) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "flowgen_core.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout, result.stderr


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def _stack_processes(state_dir: Path) -> set[int]:
    """Every live process of the stack: the recorded parts, their descendants, the Postgres."""
    pids: set[int] = set()
    for record in (state_dir / "stack").glob("*.json"):
        pid = json.loads(record.read_text())["pid"]
        if psutil.pid_exists(pid):
            pids.add(pid)
            pids |= {c.pid for c in psutil.Process(pid).children(recursive=True)}
    pgdata = str(state_dir / "pg" / "data")
    for proc in psutil.process_iter(["name"]):
        try:
            if proc.info["name"] == "postgres" and proc.cwd() == pgdata:
                pids.add(proc.pid)
        except psutil.Error:
            pass
    return pids


@pytest.fixture
def state_dir(tmp_path: Path) -> Iterator[Path]:
    """The stack's state dir; whatever a failed test left running is stopped."""
    state = tmp_path / ".flowgen"
    try:
        yield state
    finally:
        if _stack_processes(state):
            _flowgen("stack", "down")
        stop_embedded(load_settings())


def test_up_status_down(state_dir: Path) -> None:
    prefect_port, mlflow_port = _free_port(), _free_port()
    ports = ("--prefect-port", str(prefect_port), "--mlflow-port", str(mlflow_port))
    code, out, err = _flowgen("stack", "up", *ports, "--json")
    assert code == 0, err
    up = _last_json(out)
    assert up["started"] == ["prefect-server", "mlflow-server", "prefect-worker"]
    assert up["prefect_url"] == f"http://127.0.0.1:{prefect_port}"
    assert up["mlflow_url"] == f"http://127.0.0.1:{mlflow_port}"
    assert all(part["up"] and part["healthy"] for part in up["parts"].values()), up["parts"]
    for part in up["parts"].values():
        assert Path(part["log"]).parent == state_dir / "logs"

    # the real health endpoints answer
    assert httpx.get(f"{up['prefect_url']}/api/health").json() is True
    assert httpx.get(f"{up['mlflow_url']}/health").text == "OK"
    pool = httpx.get(f"{up['prefect_url']}/api/work_pools/local").json()
    assert pool["type"] == "process"
    settings = load_settings()
    assert prefect_api_url(settings) == f"http://127.0.0.1:{prefect_port}/api"

    # a run written straight to the database is the MLflow UI server's run
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=mlflow_tracking_uri(settings))
    experiment = client.create_experiment("stack-test")
    run = client.create_run(experiment)
    client.log_metric(run.info.run_id, "loss", 0.5)
    served = httpx.get(
        f"{up['mlflow_url']}/api/2.0/mlflow/runs/get", params={"run_id": run.info.run_id}
    ).json()
    assert served["run"]["data"]["metrics"][0]["value"] == 0.5

    # up again: reports, starts nothing twice
    pids = {name: part["pid"] for name, part in up["parts"].items()}
    code, out, err = _flowgen("stack", "up", *ports, "--json")
    again = _last_json(out)
    assert code == 0, err
    assert again["started"] == []
    assert {name: part["pid"] for name, part in again["parts"].items()} == pids

    code, out, _ = _flowgen("stack", "status", "--json")
    status = _last_json(out)
    assert code == 0 and status["up"] is True
    assert {name: part["pid"] for name, part in status["parts"].items()} == pids

    running = _stack_processes(state_dir)
    assert set(pids.values()) <= running
    code, out, err = _flowgen("stack", "down", "--json")
    assert code == 0, err
    assert _last_json(out)["stopped"] == [
        "prefect-worker",
        "mlflow-server",
        "prefect-server",
        "postgres",
    ]
    left = [pid for pid in running if psutil.pid_exists(pid) and not _zombie(pid)]
    assert left == [] and _stack_processes(state_dir) == set()

    code, out, _ = _flowgen("stack", "status", "--json")
    assert code == 1 and not any(p["up"] for p in _last_json(out)["parts"].values())
    assert prefect_api_url(settings) is None


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def test_a_part_that_does_not_come_up_is_named_with_its_log(state_dir: Path) -> None:
    code, out, err = _flowgen(
        "stack",
        "up",
        "--prefect-port",
        str(_free_port()),
        "--mlflow-port",
        str(_free_port()),
        "--timeout",
        "0.5",
    )
    assert code == 1 and out == ""
    (line,) = [line for line in err.splitlines() if line.startswith("flowgen: error:")]
    assert line.startswith("flowgen: error: prefect-server did not answer")
    assert line.endswith(f"see {state_dir / 'logs' / 'prefect-server.log'}")
    assert _stack_processes(state_dir) == set()  # nothing half up


def test_a_busy_port_is_refused_before_anything_starts(state_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = _flowgen(
            "stack", "up", "--mlflow-port", str(port), "--prefect-port", str(_free_port())
        )
    assert code == 1
    assert f"mlflow-server: port {port} on 127.0.0.1 is in use; pass --mlflow-port" in err
    assert _stack_processes(state_dir) == set()
    assert not os.path.exists(state_dir / "stack" / "mlflow-server.json")
