"""Served traffic lands in the store so that the week's extraction returns it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flowgen_core.dsl.flowfile import dump_payload, read_flow
from flowgen_core.errors import InvalidInput
from flowgen_core.serving.recorder import Recorder, Served, UnknownConversation
from flowgen_core.store.db import as_engine
from flowgen_core.store.extract import extract
from flowgen_core.weeks import parse_week

# valid workflows of the corpus: extraction quarantines what does not validate against the
# catalog, and the shared examples (tests/dsl/samples) predate its real fields
EXAMPLES = Path(__file__).resolve().parents[1] / "dsl" / "corpus"
WEEK = parse_week("2026-W45")


def _payload(name: str) -> str:
    return dump_payload(read_flow((EXAMPLES / name).read_bytes()))


def _served(**overrides: object) -> Served:
    fields: dict[str, object] = {
        "shop_id": "shop_served01",
        "request": "tag orders over 500 dollars as vip",
        "model_version": "3",
        "tool_trajectory": [{"tool": "task_search", "arguments": {"query": "order created"}}],
        "generated_python": "@order_created\ndef flow(order):\n    pass\n",
        "delivered_definition": _payload("inventory_hide_sold_out_products.flow"),
        "latency_ms": 812,
        "prompt_tokens": 900,
        "completion_tokens": 120,
        "trusted": True,
    }
    fields.update(overrides)
    return Served(**fields)  # type: ignore[arg-type]


def test_served_edit_and_feedback_come_back_in_the_weeks_extraction(migrated_url: str) -> None:
    recorder = Recorder(as_engine(migrated_url))
    monday = WEEK.start
    existing = _payload("customers_weekly_lapsed_tagging.flow")
    saved = _payload("buyer_experience_redirect_archived_products.flow")
    edited = recorder.conversation(
        _served(existing_definition=existing, existing_category="customers"),
        at=monday + timedelta(hours=9),
    )
    recorder.feedback(edited, "edited", saved, at=monday + timedelta(hours=10), trusted=True)
    accepted = recorder.conversation(_served(), at=monday + timedelta(days=2))
    recorder.feedback(accepted, "accepted", at=monday + timedelta(days=2, minutes=5), trusted=True)
    # a reaction after the week closed belongs to no week's training data
    late = recorder.conversation(_served(), at=monday + timedelta(days=6, hours=23))
    recorder.feedback(late, "accepted", at=monday + timedelta(days=7, hours=1), trusted=True)

    got = {i.id: i for i in extract(migrated_url, WEEK).interactions}

    assert set(got) == {edited, accepted, late}
    assert got[edited].outcome == "edited"
    assert got[edited].existing_definition == existing
    assert got[edited].target_definition == saved
    assert got[accepted].outcome == "accepted"
    assert got[accepted].target_definition == _served().delivered_definition
    # what leaves the store is anonymized: the email in a delivered definition is replaced
    emailing = recorder.conversation(
        _served(delivered_definition=_payload("integration_erp_webhook_on_paid.flow")), at=monday
    )
    (scrubbed,) = [i for i in extract(migrated_url, WEEK).interactions if i.id == emailing]
    assert "accounting@example.com" not in (scrubbed.delivered_definition or "")
    assert got[accepted].tool_trajectory == _served().tool_trajectory
    assert got[late].outcome == "none"


def test_bad_feedback_is_refused_and_writes_nothing(migrated_url: str) -> None:
    recorder = Recorder(as_engine(migrated_url))
    at = datetime(2026, 11, 3, 12, tzinfo=UTC)
    conversation = recorder.conversation(_served(), at=at)
    with pytest.raises(UnknownConversation, match="conv_nope"):
        recorder.feedback("conv_nope", "accepted", at=at)
    with pytest.raises(InvalidInput, match="kind 'liked'"):
        recorder.feedback(conversation, "liked", at=at)
    with pytest.raises(InvalidInput, match="saved_definition"):
        recorder.feedback(conversation, "edited", at=at)
    with pytest.raises(InvalidInput, match="saved_definition"):
        recorder.feedback(
            conversation, "accepted", _payload("integration_erp_webhook_on_paid.flow"), at=at
        )
    (interaction,) = extract(migrated_url, WEEK).interactions
    assert interaction.feedback == ()


def test_untrusted_traffic_stays_out_of_the_extraction(migrated_url: str) -> None:
    recorder = Recorder(as_engine(migrated_url))
    at = WEEK.start + timedelta(days=1)
    trusted = recorder.conversation(_served(), at=at)
    untrusted = recorder.conversation(_served(trusted=False), at=at)
    # an untrusted credential's reaction never sets the target of a trusted conversation
    recorder.feedback(
        trusted,
        "edited",
        _payload("integration_erp_webhook_on_paid.flow"),
        at=at + timedelta(minutes=1),
        trusted=True,
    )
    recorder.feedback(
        trusted,
        "edited",
        _payload("buyer_experience_redirect_archived_products.flow"),
        at=at + timedelta(minutes=2),
        trusted=False,
    )
    recorder.feedback(untrusted, "accepted", at=at + timedelta(minutes=1), trusted=True)

    (got,) = extract(migrated_url, WEEK).interactions
    assert got.id == trusted
    assert [f.kind for f in got.feedback] == ["edited"]
    assert got.target_definition == got.feedback[0].saved_definition
    assert got.target_definition is not None and "Send paid orders to ERP" in got.target_definition


def test_feedback_is_taken_only_for_the_shops_own_conversations(migrated_url: str) -> None:
    recorder = Recorder(as_engine(migrated_url))
    at = datetime(2026, 11, 3, 12, tzinfo=UTC)
    mine = recorder.conversation(_served(shop_id="shop_a"), at=at)
    with pytest.raises(UnknownConversation, match="not in the store"):
        recorder.feedback(mine, "accepted", at=at, shop_id="shop_b")
    assert recorder.feedback(mine, "accepted", at=at, shop_id="shop_a").startswith("fb_")


def test_a_replayed_write_is_recorded_once(migrated_url: str) -> None:
    """The outbox may replay a write whose commit was in doubt: same id, one set of rows."""
    recorder = Recorder(as_engine(migrated_url))
    at = WEEK.start + timedelta(hours=5)
    served = _served(existing_definition=_payload("customers_weekly_lapsed_tagging.flow"))
    first = recorder.conversation(served, at=at)
    assert recorder.conversation(served, at=at, conversation_id=first) == first
    (got,) = extract(migrated_url, WEEK).interactions
    assert got.id == first
    with as_engine(migrated_url).connect() as conn:
        revisions = conn.exec_driver_sql("SELECT count(*) FROM workflow_revisions").scalar()
    assert revisions == 1
