"""The agent's tools: search finds what merchants ask for, configuration gives full schemas."""

from __future__ import annotations

import json

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.catalog.tools import MAX_LIMIT, task_configuration, task_search

# A merchant's words -> the task an ideal agent needs, which must be in the top 5.
QUERIES = [
    ("tag order", "add_order_tags"),
    ("tag high value orders", "add_order_tags"),
    ("send email", "send_internal_email"),
    ("email staff when order paid", "send_internal_email"),
    ("email staff when order paid", "order_paid"),
    ("low stock", "inventory_quantity_changed"),
    ("inventory quantity changed", "inventory_quantity_changed"),
    ("cancel high risk orders", "cancel_order"),
    ("cancel high risk orders", "order_risk_analyzed"),
    ("hold fulfillment", "hold_fulfillment_order"),
    ("release hold", "release_fulfillment_order_hold"),
    ("wait 7 days", "wait"),
    ("every day at 9am", "scheduled_time"),
    ("slack message", "send_slack_message"),
    ("notify team on slack", "send_slack_message"),
    ("add row to google sheet", "add_sheet_row"),
    ("award loyalty points", "award_loyalty_points"),
    ("deduct points", "deduct_loyalty_points"),
    ("sold out product", "product_variant_out_of_stock"),
    ("hide product", "hide_product"),
    ("redirect archived products", "create_redirect_url"),
    ("loop over line items", "foreach"),
    ("get unfulfilled orders", "get_order_data"),
    ("count orders", "count"),
    ("sum order totals", "sum"),
    ("webhook to ERP", "send_http_request"),
    ("customer signs up", "customer_created"),
    ("abandoned cart", "customer_abandons_checkout"),
    ("alert on workflow errors", "workflow_error_occurred"),
    ("alert on workflow errors", "send_error_alert"),
    ("dunning failed subscription billing", "billing_attempt_failed"),
    ("save cart attributes to order metafield", "update_order_metafield"),
    ("text message customer", "send_sms"),
    ("refund issued", "refund_created"),
    ("if order total over 500", "condition"),
    ("capture payment", "capture_payment"),
    ("mark order as paid", "mark_order_as_paid"),
    ("remove customer tag", "remove_customer_tags"),
    ("vip customer tag", "add_customer_tags"),
    ("b2b payment reminder", "send_payment_reminder"),
    ("run javascript", "run_code"),
    ("sales report", "get_analytics_data"),
    ("back in stock", "product_variant_back_in_stock"),
    ("new product added", "product_created"),
    ("graphql mutation", "send_admin_api_request"),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_search_finds_the_task_in_the_top_five(query: str, expected: str) -> None:
    names = [r["name"] for r in task_search(query, limit=5)]
    assert expected in names, (query, names)


def test_search_returns_distractors_not_just_one_hit() -> None:
    names = [r["name"] for r in task_search("tag order")]
    assert names[0] == "add_order_tags"
    assert "remove_order_tags" in names and "add_draft_order_tags" in names
    assert len(names) == 10


def test_search_returns_only_the_promised_fields() -> None:
    catalog = load_catalog()
    for result in task_search("order", limit=MAX_LIMIT):
        assert set(result) == {"name", "task_id", "description"}
        task = catalog.by_python_name(result["name"])
        assert task is not None and task.id == result["task_id"]
        assert result["description"] == task.description


def test_search_limits_and_empty_queries() -> None:
    assert task_search("") == []
    assert task_search("the of and") == []
    assert task_search("xyzzy plugh") == []
    assert task_search("order", limit=0) == []
    assert len(task_search("order", limit=3)) == 3
    assert len(task_search("order", limit=10_000)) == MAX_LIMIT


def test_search_is_deterministic_and_json_serializable() -> None:
    first = task_search("send an email to the customer when an order ships", limit=20)
    second = task_search("send an email to the customer when an order ships", limit=20)
    assert first == second
    assert json.loads(json.dumps(first)) == first
    assert task_search("TAG ORDERS!") == task_search("tag order")


def test_configuration_returns_full_schemas_in_request_order() -> None:
    out = task_configuration(["cancel_order", "order_created", "shopify::flow::fetch::orders"])
    assert [o["name"] for o in out] == ["cancel_order", "order_created", "get_order_data"]
    cancel = out[0]
    assert set(cancel) == {
        "name", "task_id", "version", "type", "label", "description", "area", "fields",
        "provides", "requires",
    }  # fmt: skip
    assert cancel["task_id"] == "shopify::admin::cancel_order"
    assert cancel["type"] == "ACTION" and cancel["requires"] == ["order"]
    reason = next(f for f in cancel["fields"] if f["id"] == "reason")
    assert reason["kind"] == "enum" and reason["required"] is True
    assert "FRAUD" in reason["enum_values"]
    restock = next(f for f in cancel["fields"] if f["id"] == "restock")
    assert set(restock) == {"id", "kind", "required", "doc"}
    assert out[1]["provides"] == ["order", "shop"]
    first = next(f for f in out[2]["fields"] if f["id"] == "max_root_records")
    assert first["minimum"] == 0 and first["maximum"] == 100
    assert out[2]["provides"] == ["getOrderData"]


def test_configuration_of_unknown_names_gives_error_entries() -> None:
    out = task_configuration(["add_order_tags", "teleport_parcel", "", "acme::x"])
    assert out[0]["name"] == "add_order_tags" and "error" not in out[0]
    assert out[1] == {"name": "teleport_parcel", "error": "unknown task: teleport_parcel"}
    assert out[2] == {"name": "", "error": "unknown task: "}
    assert out[3]["error"] == "unknown task: acme::x"
    assert task_configuration([]) == []


def test_configuration_is_json_serializable_for_every_task() -> None:
    names = [t.python_name for t in load_catalog().tasks]
    out = task_configuration(names)
    assert len(out) == len(names) and all("error" not in o for o in out)
    text = json.dumps(out, sort_keys=True)
    assert json.loads(text) == out
    assert json.dumps(task_configuration(names), sort_keys=True) == text
