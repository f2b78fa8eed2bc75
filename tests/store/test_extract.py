"""Windowed extraction against a real PostgreSQL: window edges, stability, quarantine, retry."""

from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, event, insert

from flowgen_core.store.extract import ExtractConfig, extract
from flowgen_core.store.flowbuild import FlowBuilder
from flowgen_core.store.models import (
    Conversation,
    Feedback,
    Shop,
    Workflow,
    WorkflowRevision,
    WorkflowRunDay,
)
from flowgen_core.weeks import parse_week

pytestmark = pytest.mark.integration

WEEK = parse_week("2026-W45")
US = timedelta(microseconds=1)


def _payload(tag: str = "vip", task: str = "shopify::admin::add_order_tags") -> str:
    b = FlowBuilder("Tag orders", random.Random(tag))
    t = b.step("shopify::admin::order_created", "TRIGGER")
    b.step(task, "ACTION", {"order_id": "order.id", "tags": json.dumps([tag])}, after=(t, "output"))
    return b.payload()


def _fill(url: str, rows: dict[type, list[dict[str, Any]]]) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for model in (Shop, Workflow, WorkflowRevision, WorkflowRunDay, Conversation, Feedback):
            if rows.get(model):
                conn.execute(insert(model), rows[model])
    engine.dispose()


def _conv(cid: str, at: datetime, **extra: Any) -> dict[str, Any]:
    row = {
        "id": cid,
        "shop_id": "shop_a",
        "request_text": f"tag orders {cid}",
        "existing_workflow_id": None,
        "existing_revision_id": None,
        "model_version": "m1",
        "tool_trajectory": [{"tool": "task_search", "arguments": {"query": "tag"}}],
        "generated_python": "wf = Workflow('x')\n",
        "delivered_definition": _payload(),
        "latency_ms": 900,
        "prompt_tokens": 100,
        "completion_tokens": 50,
        "created_at": at,
    }
    row.update(extra)
    return row


def _wf(wid: str) -> dict[str, Any]:
    return {
        "id": wid,
        "shop_id": "shop_a",
        "descriptor": "tag_high_value_orders",
        "category": "orders",
        "built_by": "merchant",
        "created_at": WEEK.start - timedelta(days=100),
    }


def _rev(rid: str, wid: str, at: datetime, definition: str | None = None) -> dict[str, Any]:
    return {
        "id": rid,
        "workflow_id": wid,
        "definition": definition or _payload(rid),
        "active": True,
        "saved_at": at,
    }


def _edges(url: str) -> None:
    start, end = WEEK.start, WEEK.end
    old = start - timedelta(days=100)
    _fill(
        url,
        {
            Shop: [{"id": "shop_a", "created_at": old}],
            Workflow: [_wf(w) for w in ("w_start", "w_end", "w_old", "w_ran", "w_ran_late", "w_ran_early")],
            WorkflowRevision: [
                _rev("r_start", "w_start", start),  # saved at the first instant: in
                _rev("r_end", "w_end", end),  # saved at the end: out
                _rev("r_old", "w_old", old),  # neither saved nor run in the week: out
                _rev("r_ran", "w_ran", old),
                _rev("r_ran_new", "w_ran", end),  # a later revision must not be read
                _rev("r_late", "w_ran_late", old),
                _rev("r_early", "w_ran_early", old),
            ],
            WorkflowRunDay: [
                {"workflow_id": "w_ran", "day": (end - timedelta(days=1)).date(), "runs": 3, "failures": 1},
                {"workflow_id": "w_ran", "day": start.date(), "runs": 2, "failures": 0},
                {"workflow_id": "w_ran_late", "day": end.date(), "runs": 5, "failures": 0},
                {"workflow_id": "w_ran_early", "day": (start - timedelta(days=1)).date(), "runs": 5, "failures": 0},
            ],
            Conversation: [
                _conv("c_start", start),
                _conv("c_last", end - US),
                _conv("c_end", end),
                _conv("c_before", start - US),
            ],
            Feedback: [
                {"id": "f1", "conversation_id": "c_last", "kind": "accepted", "saved_definition": None, "created_at": end - US},
                {"id": "f2", "conversation_id": "c_last", "kind": "activated", "saved_definition": None, "created_at": end},
                {"id": "f3", "conversation_id": "c_start", "kind": "edited", "saved_definition": _payload("gold"), "created_at": start + timedelta(hours=1)},
            ],
        },
    )  # fmt: skip


def test_window_edges(migrated_url: str) -> None:
    _edges(migrated_url)
    result = extract(migrated_url, WEEK)
    assert [i.id for i in result.interactions] == ["c_last", "c_start"]
    by_id = {i.id: i for i in result.interactions}
    # feedback at the week's end belongs to no week: c_last is accepted, not yet activated
    assert [f.kind for f in by_id["c_last"].feedback] == ["accepted"]
    assert by_id["c_last"].outcome == "accepted" and not by_id["c_last"].activated
    assert by_id["c_last"].target_definition == by_id["c_last"].delivered_definition
    assert by_id["c_start"].outcome == "edited"
    assert by_id["c_start"].target_definition == _payload("gold")

    assert [w.id for w in result.workflows] == ["w_ran", "w_start"]
    ran = {w.id: w for w in result.workflows}["w_ran"]
    assert ran.revision_id == "r_ran"  # the state at the week's end, not the later revision
    assert (ran.runs_7d, ran.failures_7d, ran.run_days_7d, ran.changed_in_week) == (5, 1, 2, False)
    assert {w.id: w for w in result.workflows}["w_start"].changed_in_week
    assert result.start == "2026-11-02T00:00:00.000000Z"
    assert result.end == "2026-11-09T00:00:00.000000Z"


def test_same_rows_and_hash_after_later_weeks_are_added(migrated_url: str) -> None:
    _edges(migrated_url)
    before = extract(migrated_url, WEEK)
    later = WEEK.end + timedelta(days=2)
    _fill(
        migrated_url,
        {
            Conversation: [_conv("c_next", later)],
            Feedback: [
                {"id": "f4", "conversation_id": "c_start", "kind": "activated", "saved_definition": None, "created_at": later},
            ],
            WorkflowRevision: [_rev("r_ran_next", "w_ran", later)],
            WorkflowRunDay: [{"workflow_id": "w_old", "day": later.date(), "runs": 1, "failures": 0}],
        },
    )  # fmt: skip
    after = extract(migrated_url, WEEK)
    assert after.hash == before.hash
    assert after.records() == before.records()
    assert extract(migrated_url, WEEK.shift(1)).hash != before.hash


def _quarantine_rows(url: str) -> None:
    at = WEEK.start + timedelta(days=1)
    good = _payload()
    _fill(
        url,
        {
            Shop: [{"id": "shop_a", "created_at": at - timedelta(days=9)}],
            Workflow: [_wf(w) for w in ("w_good", "w_text", "w_shape", "w_task", "w_prefix")],
            WorkflowRevision: [
                _rev("r_good", "w_good", at, good),
                _rev("r_text", "w_text", at, good[:40]),
                _rev("r_shape", "w_shape", at, json.dumps({"root": {"steps": {}}})),
                _rev("r_task", "w_task", at, _payload(task="shopify::admin::teleport_order")),
                _rev("r_prefix", "w_prefix", at, "0" * 64 + ":" + good),
            ],
            Conversation: [
                _conv("c_good", at),
                _conv("c_bad_delivered", at, delivered_definition="not json at all"),
                _conv("c_bad_saved", at),
                _conv("c_list", at, delivered_definition="[1, 2]"),
            ],
            Feedback: [
                {"id": "f_bad", "conversation_id": "c_bad_saved", "kind": "edited", "saved_definition": '{"root": {"steps": [], "links": []}}', "created_at": at},
            ],
        },
    )  # fmt: skip


def test_bad_rows_are_quarantined_with_a_reason(migrated_url: str) -> None:
    _quarantine_rows(migrated_url)
    result = extract(migrated_url, WEEK)
    assert [i.id for i in result.interactions] == ["c_good"]
    assert [w.id for w in result.workflows] == ["w_good"]
    reasons = {q.id: q.reason for q in result.quarantined}
    assert reasons["w_text"].startswith("definition: not_json: ")
    assert reasons["w_shape"] == "definition: wrong_shape: root.steps is not a non-empty list"
    assert reasons["w_task"] == (
        "definition: unknown_task: shopify::admin::teleport_order version 0.1"
    )
    assert reasons["w_prefix"].startswith("definition: bad_prefix:")
    assert reasons["c_bad_delivered"].startswith("delivered_definition: not_json: ")
    assert reasons["c_bad_saved"].startswith("feedback[0].saved_definition: wrong_shape: ")
    assert reasons["c_list"] == "delivered_definition: wrong_shape: no root object"
    assert result.summary()["quarantined"] == 7
    assert result.summary()["quarantine_reasons"] == {
        "bad_prefix": 1,
        "not_json": 2,
        "unknown_task": 1,
        "wrong_shape": 3,
    }


def test_scrubbing_happens_before_records_leave(migrated_url: str) -> None:
    at = WEEK.start + timedelta(days=2)
    _fill(
        migrated_url,
        {
            Shop: [{"id": "shop_a", "created_at": at}],
            Conversation: [
                _conv(
                    "c1",
                    at,
                    request_text="email jane@acme.io about orders for customer Ravi Okafor",
                ),
                _conv(
                    "c2",
                    at + US,
                    request_text="also cc jane@acme.io, key sk_live_abcdef0123456789abcd",
                ),
            ],
        },
    )
    result = extract(migrated_url, WEEK)
    texts = [i.request for i in result.interactions]
    assert texts == [
        "email <EMAIL_1> about orders for customer <NAME_1>",
        "also cc <EMAIL_1>, key <SECRET_1>",
    ]
    assert result.scrubbed == {"email": 2, "phone": 0, "name": 1, "secret": 1}
    blob = json.dumps(result.records())
    assert "jane@acme.io" not in blob and "Okafor" not in blob


def test_dropped_connection_is_retried_with_the_same_result(
    migrated_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _edges(migrated_url)
    clean = extract(migrated_url, WEEK)

    engine = create_engine(migrated_url, pool_pre_ping=True)
    admin_dsn = migrated_url.replace("postgresql+psycopg://", "postgresql://")
    killed: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def kill_once(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        # The second query of the first attempt (feedback) runs on a connection that dies.
        if killed or ("FROM feedback" not in statement and "JOIN feedback" not in statement):
            return
        pid = conn.connection.dbapi_connection.info.backend_pid
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
                pass
        killed.append(pid)

    with caplog.at_level(logging.WARNING, logger="flowgen.store.extract"):
        retried = extract(engine, WEEK, ExtractConfig(attempts=3, backoff_s=0.01))
    engine.dispose()
    assert len(killed) == 1
    assert "connection lost" in caplog.text
    assert retried.hash == clean.hash
    assert retried.records() == clean.records()


def test_retries_are_bounded(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    admin_dsn = migrated_url.replace("postgresql+psycopg://", "postgresql://")

    @event.listens_for(engine, "before_cursor_execute")
    def kill_always(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "FROM conversations" in statement:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(admin_dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                while admin.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)
                ).fetchone():
                    pass

    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):
        extract(engine, WEEK, ExtractConfig(attempts=2, backoff_s=0.0))
    engine.dispose()
