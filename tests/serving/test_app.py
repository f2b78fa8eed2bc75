"""The serving API on a real server: each endpoint, bad input, the store behind it."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from flowgen_core.agent.suites import Case
from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.flowfile import read_flow, workflow_from_json, workflow_to_json
from flowgen_core.evaluation.judge import structural_judge
from flowgen_core.store.db import as_engine
from flowgen_core.store.extract import extract
from flowgen_core.weeks import parse_week

pytestmark = [pytest.mark.integration, pytest.mark.slow]

JSON = {"content-type": "application/json"}
EXAMPLES = (
    Path(__file__).resolve().parents[1] / "dsl" / "samples"
)  # copies of ../shared/examples/flows


def _example(name: str) -> dict:
    return workflow_to_json(read_flow((EXAMPLES / name).read_bytes()))


def _rows(db_url: str, sql: str) -> list:
    with as_engine(db_url).connect() as conn:
        return list(conn.execute(text(sql)))


def test_workflows_delivers_records_and_takes_feedback(
    serve: Callable[..., Any], trained_case: Case
) -> None:
    s = serve()
    health = httpx.get(f"{s.url}/health").json()
    assert health["status"] == "ok" and health["model_version"] == f"{s.registry.name}/1"

    auth = s.auth("shop_a1")
    r = httpx.post(
        f"{s.url}/v1/workflows",
        json={"request": trained_case.request, "shop_id": "shop_a1"},
        headers=auth,
        timeout=120,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["syntactic_ok"] is True and body["error"] is None
    assert body["model_version"] == f"{s.registry.name}/1"
    catalog = load_catalog()
    verdict = structural_judge(trained_case.expected, workflow_from_json(body["workflow"]), catalog)
    assert verdict.equivalent, verdict.reason
    assert body["tool_calls"] == 2 and body["latency_ms"] > 0

    (row,) = _rows(
        s.db_url,
        "SELECT id, shop_id, request_text, model_version, tool_trajectory, generated_python, "
        "delivered_definition, latency_ms, prompt_tokens, completion_tokens FROM conversations",
    )
    assert row.id == body["conversation_id"] and row.shop_id == "shop_a1"
    assert row.request_text == trained_case.request
    assert row.model_version == body["model_version"] and row.latency_ms == body["latency_ms"]
    assert [c["tool"] for c in row.tool_trajectory] == ["task_search", "task_configuration"]
    assert row.generated_python == body["python"]
    assert json.loads(row.delivered_definition) == body["workflow"]
    assert row.prompt_tokens > 100 and row.completion_tokens > 10

    wanted = _example("sold_out_foreach.flow")
    f = httpx.post(
        f"{s.url}/v1/feedback",
        json={"conversation_id": row.id, "kind": "edited", "saved_definition": wanted},
        headers=auth,
    )
    assert f.status_code == 200, f.text
    assert f.json()["kind"] == "edited"
    httpx.post(
        f"{s.url}/v1/feedback",
        json={"conversation_id": row.id, "kind": "activated"},
        headers=auth,
    ).raise_for_status()
    stored = _rows(s.db_url, "SELECT kind, saved_definition FROM feedback ORDER BY created_at")
    assert [k for k, _ in stored] == ["edited", "activated"]
    assert json.loads(stored[0].saved_definition) == wanted


def test_an_edit_request_and_a_backdated_one_reach_that_weeks_extraction(
    serve: Callable[..., Any],
) -> None:
    s = serve()
    week = parse_week("2026-W45")
    at = week.start + timedelta(days=1, hours=3)
    existing = _example("repeat_customers_if_else.flow")
    r = httpx.post(
        f"{s.url}/v1/workflows",
        json={
            "request": "also tag them loyal",
            "shop_id": "shop_b2",
            "existing_workflow": existing,
            "at": at.isoformat(),
        },
        headers=s.auth("shop_b2", simulation=True),
        timeout=120,
    )
    assert r.status_code == 200, r.text
    conv = r.json()["conversation_id"]
    f = httpx.post(
        f"{s.url}/v1/feedback",
        json={
            "conversation_id": conv,
            "kind": "discarded",
            "at": (at + timedelta(minutes=3)).isoformat(),
        },
        headers=s.auth("shop_b2", simulation=True),
    )
    assert f.status_code == 200, f.text
    (got,) = extract(s.db_url, week).interactions
    assert got.id == conv and got.outcome == "discarded"
    assert (
        json.loads(got.existing_definition or "{}")["root"]["workflow_name"]
        == (existing["root"]["workflow_name"])
    )
    assert got.model_version == r.json()["model_version"]


BAD_WORKFLOWS = [
    ({"request": "", "shop_id": "s"}, 422, "request"),
    ({"request": "   ", "shop_id": "s"}, 422, "request: Value error, must not be blank"),
    ({"request": "x", "shop_id": "no spaces allowed"}, 422, "shop_id"),
    ({"request": "a\x00b", "shop_id": "s"}, 422, "NUL"),
    ({"shop_id": "s"}, 422, "request: Field required"),
    ({"request": "x", "shop_id": "s", "extra": 1}, 422, "extra"),
    ({"request": "x", "shop_id": "s", "existing_workflow": {"root": 3}}, 400, "existing_workflow"),
    ({"request": "x", "shop_id": "s", "at": "2999-01-01T00:00:00Z"}, 422, "future"),
    ({"request": "x", "shop_id": "s", "at": "2026-01-01T00:00:00"}, 422, "timezone"),
]


@pytest.mark.parametrize(("body", "status", "says"), BAD_WORKFLOWS)
def test_bad_workflow_requests_get_a_clear_4xx_and_write_nothing(
    serve_once: Any, body: dict, status: int, says: str
) -> None:
    auth = serve_once.auth("s", simulation=True)
    r = httpx.post(f"{serve_once.url}/v1/workflows", json=body, headers=auth)
    assert r.status_code == status, r.text
    assert says in r.json()["error"]["message"]
    assert _rows(serve_once.db_url, "SELECT count(*) FROM conversations")[0][0] == 0


def test_bad_feedback_and_bad_bodies(serve_once: Any) -> None:
    url = serve_once.url
    auth = serve_once.auth("s", simulation=True)
    cases = [
        ({"conversation_id": "conv_nope", "kind": "accepted"}, 404, "conv_nope"),
        ({"conversation_id": "c", "kind": "liked"}, 422, "kind"),
        ({"conversation_id": "c", "kind": "edited"}, 400, "saved_definition: required"),
        (
            {"conversation_id": "c", "kind": "edited", "saved_definition": {"x": 1}},
            400,
            "saved_definition",
        ),
    ]
    for body, status, says in cases:
        r = httpx.post(f"{url}/v1/feedback", json=body, headers=auth)
        assert r.status_code == status, (body, r.text)
        assert says in r.json()["error"]["message"], r.text
    r = httpx.post(f"{url}/v1/feedback", content=b"{not json", headers=JSON | auth)
    assert r.status_code == 422 and "JSON" in r.json()["error"]["message"]
    for field, raw in (  # JSON escapes that decode to a lone surrogate: no store can hold it
        (
            "existing_workflow",
            b'{"request": "x", "shop_id": "s", "existing_workflow": {"a": "\\ud800"}}',
        ),
        ("request", b'{"request": "a \\udfff", "shop_id": "s"}'),
    ):
        r = httpx.post(f"{url}/v1/workflows", content=raw, headers=JSON | auth)
        assert r.status_code == 422 and r.json()["error"]["message"].startswith(field), r.text
    assert httpx.get(f"{url}/v1/nothing", headers=auth).status_code == 404
    assert httpx.get(f"{url}/v1/workflows", headers=auth).status_code == 405


def test_concurrent_requests_are_batched_and_all_recorded(
    serve: Callable[..., Any], trained_case: Case
) -> None:
    s = serve()
    at = datetime(2026, 11, 10, 9, tzinfo=UTC)
    auth = {i: s.auth(f"shop_{i}", simulation=True) for i in range(6)}

    def ask(i: int) -> dict:
        r = httpx.post(
            f"{s.url}/v1/workflows",
            json={
                "request": f"{trained_case.request} #{i}",
                "shop_id": f"shop_{i}",
                "at": at.isoformat(),
            },
            headers=auth[i],
            timeout=300,
        )
        assert r.status_code == 200, r.text
        return r.json()

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(ask, range(6)))
    ids = {a["conversation_id"] for a in answers}
    stored = {r[0] for r in _rows(s.db_url, "SELECT id FROM conversations")}
    assert ids == stored and len(ids) == 6
