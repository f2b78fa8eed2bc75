"""Task wrappers: transient failures are retried with backoff, bugs and bad input are not;
the extraction is cached on the week, with its result persisted under the artifact root."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from flowgen_core.errors import UsageError
from tasks.common import is_transient
from tasks.store import extract_week


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket closes


def test_is_transient_tells_connection_failures_from_bugs() -> None:
    engine = create_engine(f"postgresql+psycopg://u:p@127.0.0.1:{_closed_port()}/x")
    with pytest.raises(OperationalError) as dropped:
        engine.connect()
    assert is_transient(dropped.value)
    assert is_transient(httpx.ConnectError("refused"))
    assert is_transient(ConnectionResetError())
    assert not is_transient(UsageError("week 2026-W99 does not exist"))
    assert not is_transient(KeyError("model_hash"))


def _run_count(task_run_id: Any) -> int:
    with get_client(sync_client=True) as client:
        return client.read_task_run(task_run_id).run_count


@pytest.mark.slow
@pytest.mark.integration
def test_extract_retries_an_unreachable_database_but_not_a_bad_week(
    prefect_api: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FLOWGEN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv(
        "FLOWGEN_DATABASE_URL", f"postgresql+psycopg://u:p@127.0.0.1:{_closed_port()}/x"
    )
    quick = extract_week.with_options(retries=2, retry_delay_seconds=0, cache_key_fn=None)

    @flow
    def probe(week: str) -> tuple[bool, Any]:
        # a flow returning a failed state would fail itself: hand back plain values
        state = quick(week, return_state=True)
        return state.is_failed(), state.state_details.task_run_id

    failed, task_run = probe("2026-W45")
    assert failed and _run_count(task_run) == 3  # the first try and 2 retries
    failed, task_run = probe("2026-W99")
    assert failed and _run_count(task_run) == 1  # a bad week is not retried


@pytest.mark.slow
@pytest.mark.integration
def test_extract_is_cached_on_the_week_with_results_under_the_artifact_root(
    prefect_api: None, stack_env: dict[str, str]
) -> None:
    from flowgen_core.store.seed import SeedConfig, seed
    from flowgen_core.weeks import parse_week
    from tasks.common import persisted

    seed(
        stack_env["FLOWGEN_DATABASE_URL"],
        SeedConfig(shops=8, weeks=1, end_week=parse_week("2026-W45")),
    )

    @flow
    def twice(week: str) -> tuple[Any, Any]:
        first = persisted(extract_week)(week, return_state=True)
        second = persisted(extract_week)(week, return_state=True)
        return first, second

    first, second = twice("2026-W45")
    assert first.is_completed() and first.name == "Completed"
    assert second.name == "Cached"
    assert second.result().hash == first.result().hash
    assert first.result().interactions  # the seeded week has conversations
    results = Path(stack_env["FLOWGEN_STATE_DIR"]) / "artifacts" / "prefect-results"
    assert any(p.name.startswith("extract-2026-W45-") for p in results.iterdir())
