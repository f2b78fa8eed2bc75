"""Scrubbing: what becomes a placeholder, what must stay, and JSON that stays JSON."""

from __future__ import annotations

import json

import pytest

from flowgen_core.store.anonymize import Scrubber
from flowgen_core.store.flowbuild import MONEY, Cmp, FlowBuilder, render_condition


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        ("email me at jane.doe@example.com", "email me at <EMAIL_1>", {"email": 1}),
        (
            "notify Ops@Shop.io and ops@shop.io",
            "notify <EMAIL_1> and <EMAIL_1>",  # same address, any case: one placeholder
            {"email": 2},
        ),
        ("text +1 415 555 0134 please", "text <PHONE_1> please", {"phone": 1}),
        ("call (415) 555-0134", "call <PHONE_1>", {"phone": 1}),
        ("my mobile is +44 7700 900123", "my mobile is <PHONE_1>", {"phone": 1}),
        ("tag customer John Smith as vip", "tag customer <NAME_1> as vip", {"name": 1}),
        ("for Ravi Okafor and for ravi okafor", "for <NAME_1> and for <NAME_1>", {"name": 2}),
        ("notify maria lopez", "notify <NAME_1>", {"name": 1}),
        ("send it to Grzegorz Brzeczyszczykiewicz", "send it to <NAME_1>", {"name": 1}),
        ("Hi Sofia, thanks", "Hi <NAME_1>, thanks", {"name": 1}),
        (
            "Authorization: Bearer abcDEF1234567890xyz",
            "Authorization: Bearer <SECRET_1>",
            {"secret": 1},
        ),
        ("use shpat_0123456789abcdef0123456789abcdef", "use <SECRET_1>", {"secret": 1}),
        (
            "the api key is erp-o0v9rode6xk6nttt9xk3fh6yljq1nd5z",
            "the api key is <SECRET_1>",
            {"secret": 1},
        ),
        ("password: hunter2222", "password: <SECRET_1>", {"secret": 1}),
        ("AKIAIOSFODNN7EXAMPLE in env", "<SECRET_1> in env", {"secret": 1}),
        # things that look close but are not personal data or secrets
        ("tag orders over $1500 with vip", "tag orders over $1500 with vip", {}),
        ("ship to Canada or Germany", "ship to Canada or Germany", {}),
        ("orders from Monday to Friday", "orders from Monday to Friday", {}),
        ("Mark orders as paid", "Mark orders as paid", {}),
        ("order #1001 on 2026-11-05", "order #1001 on 2026-11-05", {}),
        ("gid://shopify/Collection/505840948", "gid://shopify/Collection/505840948", {}),
        (
            "step fead3bed-00fd-4eae-8e90-3fd93433b60c",
            "step fead3bed-00fd-4eae-8e90-3fd93433b60c",
            {},
        ),
        ("DTSTART;TZID=UTC:20260105T090000", "DTSTART;TZID=UTC:20260105T090000", {}),
        (
            "{{order.totalPriceSet.shopMoney.amount}}",
            "{{order.totalPriceSet.shopMoney.amount}}",
            {},
        ),
    ],
)
def test_text(text: str, expected: str, kinds: dict[str, int]) -> None:
    scrub = Scrubber()
    assert scrub.text(text) == expected
    assert dict(scrub.counts) == kinds


def test_placeholders_are_stable_within_a_shop_and_restart_per_shop() -> None:
    shop_a = Scrubber()
    assert shop_a.text("a@x.com b@x.com") == "<EMAIL_1> <EMAIL_2>"
    assert shop_a.text("b@x.com again") == "<EMAIL_2> again"
    shop_b = Scrubber()
    assert shop_b.text("b@x.com") == "<EMAIL_1>"


def _definition(
    to: str,
    headers: str,
    name: str = "Email Maria Lopez about big orders",
    body: str = "Hi Maria, call +1 415 555 0134",
) -> str:
    import random

    b = FlowBuilder(name, random.Random(1))
    t = b.step("shopify::admin::order_created", "TRIGGER")
    cond = render_condition(Cmp("order.totalPriceSet.shopMoney.amount", ">=", "500", MONEY), b.rng)
    c = b.step("shopify::flow::condition", "CONDITION", {"condition": cond}, after=(t, "output"))
    b.step(
        "shopify::flow::send_email",
        "ACTION",
        {"address": to, "subject": "Big order", "message": body},
        after=(c, "true"),
    )
    b.step(
        "shopify::flow::send_http",
        "ACTION",
        {"method": "POST", "url": "https://erp.example.com/x", "headers": headers},
        after=(c, "true"),
        version="2.0",
    )
    return b.payload()


def test_definition_scrubs_config_strings_and_keeps_json_exact() -> None:
    headers = json.dumps([["Authorization", "Bearer shpat_0123456789abcdef0123456789abcdef"]])
    original = _definition("maria.lopez@gmail.com", headers)
    scrub = Scrubber()
    out = scrub.definition(original)
    doc, before = json.loads(out), json.loads(original)
    values = {
        v["config_field_id"]: v["value"]
        for s in doc["root"]["steps"]
        for v in s["config_field_values"]
    }
    assert values["address"] == "<EMAIL_1>"
    assert values["message"] == "Hi <NAME_1>, call <PHONE_1>"
    assert json.loads(values["headers"]) == [["Authorization", "Bearer <SECRET_1>"]]
    assert doc["root"]["workflow_name"] == "Email <NAME_2> about big orders"
    # the condition tree (uuids, paths, literals) is untouched, byte for byte
    cond_before = before["root"]["steps"][1]["config_field_values"][0]["value"]
    assert values["condition"] == cond_before
    # same structure and key order; only scrubbed strings differ
    assert [list(s) for s in doc["root"]["steps"]] == [list(s) for s in before["root"]["steps"]]
    assert out == json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    assert dict(scrub.counts) == {"email": 1, "name": 2, "phone": 1, "secret": 1}


def test_definition_without_personal_data_is_returned_unchanged() -> None:
    original = _definition("{{shop.email}}", "[]", "Big orders", "Order {{order.name}} is in")
    assert Scrubber().definition(original) is original


def _env(uuid: str, parent: str, path: str, *, full: bool = False) -> dict:
    node = {
        "uuid": uuid,
        "parent_uuid": parent,
        "value": path,
        "comparison_value_type": "EnvironmentValue",
    }
    if full:
        node["full_environment_path"] = path
    return node


def test_paths_in_real_export_condition_shapes_are_structure() -> None:
    # A path segment shaped like a token (28+ characters with a digit) would be scrubbed as a
    # secret if it were text; as a path it must stay, in every place a path goes.
    long = "order.giftWrapMessageForEdition2024"
    assert Scrubber().text(long) == "order.<SECRET_1>"
    email = {
        "uuid": "c",
        "parent_uuid": "w",
        "lhs": _env("l", "c", long),  # no full_environment_path, as real exports write it
        "rhs": {
            "uuid": "r",
            "parent_uuid": "c",
            "value": "maria.lopez@gmail.com",
            "comparison_value_type": "LiteralValue",
        },
        "value_type": "EnvironmentScalarDefinition:String",
        "operator": "==",
        "operation_type": "Comparison",
    }
    item = {
        "uuid": "i",
        "parent_uuid": "a",
        "lhs": _env("il", "i", "giftWrapMessageForEdition2024_item.key", full=True),
        "rhs": _env("ir", "i", long),
        "value_type": "EnvironmentScalarDefinition:String",
        "operator": "==",
        "operation_type": "Comparison",
    }
    array = {
        "uuid": "a",
        "parent_uuid": "w",
        "array_path": _env("p", "a", long),
        "array_item_key": _env("k", "a", "giftWrapMessageForEdition2024_item"),
        "operation": {
            "uuid": "w2",
            "parent_uuid": "a",
            "lhs": item,
            "operator": "AND",
            "operation_type": "LogicalExpression",
        },
        "operator": "ANY",
        "operation_type": "ArrayExpression",
    }
    # The editor's one-operand wrapper at the root (no `rhs` key), around an AND.
    tree = {
        "uuid": "w",
        "lhs": {
            "uuid": "and",
            "lhs": email,
            "rhs": array,
            "operator": "AND",
            "operation_type": "LogicalExpression",
        },
        "operator": "AND",
        "operation_type": "LogicalExpression",
    }
    text = json.dumps(tree, separators=(",", ":"))
    scrub = Scrubber()
    out = json.loads(scrub.config_string(text))
    # Only the literal (free text) changed; every path, operand object and key is as it was.
    email["rhs"]["value"] = "<EMAIL_1>"
    assert out == tree and list(out) == list(tree)
    assert dict(scrub.counts) == {"email": 1}
    # Without personal data the exact original text comes back.
    del email["rhs"]
    email["operator"], email["rhs"] = "not_nil?", None
    plain = json.dumps(tree, separators=(",", ":"))
    assert Scrubber().config_string(plain) is plain
