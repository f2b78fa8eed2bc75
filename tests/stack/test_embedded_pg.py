"""The embedded Postgres: start, reuse by a second process, recovery after kill -9, clean stop
(tests flowgen_core/stack/embedded_pg.py through the public API in flowgen_core/stack)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest
from sqlalchemy import create_engine, text

from flowgen_core.settings import Settings, load_settings
from flowgen_core.stack import (
    database_url,
    embedded_pg,
    mlflow_artifact_root,
    mlflow_tracking_uri,
    prefect_api_url,
    stop_embedded,
)
from flowgen_core.stack.embedded_pg import EmbeddedPg

pytestmark = pytest.mark.integration

# A second flowgen process: asks for the URL, proves it can query, reports the postmaster pid.
CHILD = """
import sys
from pathlib import Path
from sqlalchemy import create_engine, text
from flowgen_core.settings import load_settings
from flowgen_core.stack import database_url
from flowgen_core.stack import embedded_pg
from flowgen_core.stack.embedded_pg import EmbeddedPg
settings = load_settings()
engine = create_engine(database_url(settings))
with engine.connect() as conn:
    assert conn.execute(text("SELECT 1")).scalar() == 1
engine.dispose()
print(embedded_pg.status(EmbeddedPg.under(settings.state_path)).pid)
if len(sys.argv) > 1:
    print("holding", flush=True)
    sys.stdin.read()  # hold the server until killed
"""


@pytest.fixture
def settings() -> Iterator[Settings]:
    """Default settings (state dir under the test's tmp folder); the server is stopped after."""
    settings = load_settings()
    try:
        yield settings
    finally:
        stop_embedded(settings)
        assert not _server_processes(settings)


def _pg(settings: Settings) -> EmbeddedPg:
    return EmbeddedPg.under(settings.state_path)


def _server_processes(settings: Settings) -> list[psutil.Process]:
    return embedded_pg._server_processes(_pg(settings))


def _postmaster_pid(settings: Settings) -> int:
    running = embedded_pg.status(_pg(settings))
    assert running is not None
    return running.pid


def _query(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar_one()
    finally:
        engine.dispose()


def _child(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_start_creates_databases_and_a_second_process_reuses_the_server(
    settings: Settings, tmp_path: Path
) -> None:
    started = time.monotonic()
    url = database_url(settings)
    first_start_s = time.monotonic() - started
    assert url.startswith("postgresql+psycopg://") and "/flowgen?" in url
    assert (tmp_path / ".flowgen" / "pg" / "data" / "PG_VERSION").is_file()
    assert _query(url) == 1
    pid = _postmaster_pid(settings)

    for db in ("mlflow", "prefect"):
        assert _query(database_url(settings, db=db)) == 1
    assert mlflow_tracking_uri(settings) == database_url(settings, db="mlflow")

    assert _child() == [str(pid)]  # same postmaster: reused, not a second server
    # the child released its hold on exit; this process still holds the server
    assert _postmaster_pid(settings) == pid
    assert len([p for p in _server_processes(settings) if p.pid == pid]) == 1
    assert first_start_s < 30

    assert stop_embedded(settings) is True
    assert embedded_pg.status(_pg(settings)) is None
    assert not _server_processes(settings)
    assert stop_embedded(settings) is False


def test_last_holder_stops_the_server_on_exit(settings: Settings) -> None:
    _child()
    assert embedded_pg.status(_pg(settings)) is None
    assert not _server_processes(settings)


def test_recovers_after_kill_9_of_the_postmaster(settings: Settings) -> None:
    url = database_url(settings)
    pid = _postmaster_pid(settings)
    os.kill(pid, signal.SIGKILL)
    psutil.wait_procs([psutil.Process(pid)], timeout=10)
    assert (_pg(settings).pgdata / "postmaster.pid").exists()  # the stale file is left behind

    assert database_url(settings) == url  # recovers by itself
    assert _query(url) == 1
    assert _postmaster_pid(settings) != pid


def test_a_holder_killed_with_9_does_not_keep_the_server_alive(settings: Settings) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", CHILD, "hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        pid = int(holder.stdout.readline())
        assert holder.stdout.readline().strip() == "holding"
    finally:
        holder.kill()
        holder.wait(10)
    assert _postmaster_pid(settings) == pid  # still up: the killed holder never released

    database_url(settings)  # this process holds it now; the dead holder is pruned
    embedded_pg.release(_pg(settings))
    assert embedded_pg.status(_pg(settings)) is None
    assert not _server_processes(settings)


def test_pinned_server_outlives_its_holders(settings: Settings) -> None:
    database_url(settings)
    embedded_pg.pin(_pg(settings), True)
    embedded_pg.release(_pg(settings))
    assert embedded_pg.status(_pg(settings)) is not None
    with psycopg.connect(embedded_pg.status(_pg(settings)).dsn("flowgen")) as conn:  # type: ignore[union-attr]
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_configured_urls_win_and_start_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FLOWGEN_DATABASE_URL", "postgresql+psycopg://u:pw@db.example/app")
    monkeypatch.setenv("FLOWGEN_MLFLOW_TRACKING_URI", "http://mlflow.example")
    monkeypatch.setenv("FLOWGEN_PREFECT_API_URL", "http://prefect.example/api")
    settings = load_settings()
    assert database_url(settings) == "postgresql+psycopg://u:pw@db.example/app"
    assert mlflow_tracking_uri(settings) == "http://mlflow.example"
    assert prefect_api_url(settings) == "http://prefect.example/api"
    assert not (tmp_path / ".flowgen" / "pg").exists()


def test_artifact_root_and_prefect_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = load_settings()
    assert mlflow_artifact_root(settings) == f"file://{tmp_path}/.flowgen/artifacts/mlflow"
    assert prefect_api_url(settings) is None  # no stack up: Prefect's temporary local API
    monkeypatch.setenv("FLOWGEN_ARTIFACT_STORE", "s3://bucket/prefix/")
    assert mlflow_artifact_root(load_settings()) == "s3://bucket/prefix/mlflow"
