"""The served version follows the alias: a move is picked up without dropping a request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from flowgen_core.registry import CHAMPION
from flowgen_core.store.db import as_engine

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _wait_for(url: str, check: Callable[[dict], bool], timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        health = httpx.get(f"{url}/health").json()
        if check(health):
            return health
        assert time.monotonic() < deadline, f"gave up waiting; last /health: {health}"
        time.sleep(0.2)


def test_alias_move_reloads_without_dropping_requests(
    serve: Callable[..., Any], untrained_model: Path
) -> None:
    s = serve(poll_s=0.3)
    name = s.registry.name
    answers: list[httpx.Response] = []
    stop = threading.Event()
    auth = s.auth("shop_r")

    def traffic() -> None:
        with httpx.Client(timeout=120) as client:
            i = 0
            while not stop.is_set():
                answers.append(
                    client.post(
                        f"{s.url}/v1/workflows",
                        json={"request": f"tag big orders {i}", "shop_id": "shop_r"},
                        headers=auth,
                    )
                )
                i += 1

    sender = threading.Thread(target=traffic)
    sender.start()
    try:
        v2 = s.registry.register(untrained_model, None, {"interface_version": "flowgen-agent-1"})
        s.registry.set_alias(CHAMPION, v2)
        health = _wait_for(s.url, lambda h: h["model_version"] == f"{name}/{v2}")
        assert health["reloads"] == 1
        time.sleep(1.0)  # a few requests on the new version
    finally:
        stop.set()
        sender.join()

    assert answers and all(r.status_code == 200 for r in answers), [r.text for r in answers]
    versions = [r.json()["model_version"] for r in answers]
    assert versions[-1] == f"{name}/2" and f"{name}/1" in versions
    # once the new version answered, the old one never answers again
    assert versions == sorted(versions, key=lambda v: v.endswith("/2"))
    with as_engine(s.db_url).connect() as conn:
        stored = {
            r[0]: r[1] for r in conn.execute(text("SELECT id, model_version FROM conversations"))
        }
    assert stored == {r.json()["conversation_id"]: r.json()["model_version"] for r in answers}

    # a version built for another interface is refused; the server keeps the one it has
    v3 = s.registry.register(untrained_model, None, {"interface_version": "flowgen-agent-0"})
    s.registry.set_alias(CHAMPION, v3)
    health = _wait_for(s.url, lambda h: h["last_reload_error"] is not None)
    assert "interface flowgen-agent-0" in health["last_reload_error"]
    assert health["model_version"] == f"{name}/{v2}"
    r = httpx.post(
        f"{s.url}/v1/workflows",
        json={"request": "x", "shop_id": "s"},
        headers=s.auth("s"),
        timeout=120,
    )
    assert r.status_code == 200 and r.json()["model_version"] == f"{name}/{v2}"
