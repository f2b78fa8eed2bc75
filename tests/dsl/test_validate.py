"""The validator: every bucket, the limits, scope along the graph, and the corpus."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.dsl.field_values import duration_seconds, field_value_problem, recurrence_problem
from flowgen_core.dsl.flowfile import read_envelope, read_flow
from flowgen_core.dsl.validate import (
    BUCKETS,
    ValidationError,
    document_report,
    errors_by_bucket,
    validate,
    validate_document,
    validation_report,
)

CORPUS = Path(__file__).parent / "corpus"
A = "shopify::admin::"
F = "shopify::flow::"
S = "EnvironmentScalarDefinition:"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# --- a small builder for documents in the export format -------------------------------------


class Doc:
    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []

    def step(self, task_id: str, type_: str = "ACTION", version: str = "0.1", **config: str):
        sid = f"s{len(self.steps)}"
        self.steps.append(
            {
                "step_id": sid,
                "step_position": [0, 0],
                "config_field_values": [
                    {"config_field_id": k, "value": v} for k, v in config.items()
                ],
                "task_id": task_id,
                "task_version": version,
                "task_type": type_,
                "description": None,
                "note": None,
                "name": None,
            }
        )
        return sid

    def link(self, a: str, b: str, port: str = "output", to_port: str = "input") -> None:
        self.links.append(
            {"from_step_id": a, "from_port_id": port, "to_step_id": b, "to_port_id": to_port}
        )

    def doc(self) -> dict[str, Any]:
        return {
            "__metadata": {"version": 0.1},
            "root": {
                "steps": self.steps,
                "links": self.links,
                "patched_fields": [],
                "variables": [],
                "note": None,
                "workflow_name": "t",
            },
        }


def cmp(path: str, op: str, value: str | None, value_type: str) -> str:
    rhs = (
        None
        if value is None
        else {
            "uuid": "r",
            "parent_uuid": "c",
            "value": value,
            "comparison_value_type": "LiteralValue",
        }
    )
    node = {
        "uuid": "c",
        "lhs": {
            "uuid": "l",
            "parent_uuid": "c",
            "value": path,
            "comparison_value_type": "EnvironmentValue",
            "full_environment_path": path,
        },
        "rhs": rhs,
        "value_type": value_type,
        "operator": op,
        "operation_type": "Comparison",
    }
    return json.dumps(node)


def found(errors: list[ValidationError]) -> set[tuple]:
    return {(e.bucket, e.step_id, e.field) for e in errors}


def tags(*t: str) -> str:
    return json.dumps(list(t))


# --- taskErrors: context, tasks, graph ----------------------------------------------------------


def test_context_mismatch_customer_created_then_add_order_tags(catalog) -> None:
    d = Doc()
    t = d.step(A + "customer_created", "TRIGGER")
    a = d.step(A + "add_order_tags", order_id="order.id", tags=tags("x"))
    d.link(t, a)
    errors = validate_document(d.doc(), catalog)
    # the action cannot run here, and its Liquid reads an order nothing loaded
    assert found(errors) == {("taskErrors", a, None), ("configFieldErrors", a, "order_id")}
    assert "needs order in scope" in errors[1].message
    assert errors[0].message == "order_id: order is not in scope at this step"


def test_context_allows_what_the_trigger_implies(catalog) -> None:
    d = Doc()
    t = d.step(A + "fulfillment_order_ready_to_fulfill", "TRIGGER")
    a = d.step(A + "add_order_tags", order_id="fulfillmentOrder.order.id", tags=tags("x"))
    c = d.step(A + "add_customer_tags", customer_id="x", tags=tags("y"))
    d.link(t, a)
    d.link(a, c)
    assert validate_document(d.doc(), catalog) == []


def test_context_from_get_data_loop_item_and_join_intersection(catalog) -> None:
    d = Doc()
    rec = json.dumps(["DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=DAILY"])
    t = d.step(F + "scheduled_time", "TRIGGER", recurrence=rec)
    g = d.step(F + "fetch::orders", version="v1", max_root_records="10")
    f = d.step(F + "foreach", "FOREACH", listpath="getOrderData")
    inside = d.step(A + "add_order_tags", order_id="getOrderDataForeachitem.id", tags=tags("a"))
    after = d.step(A + "add_order_tags", order_id="x", tags=tags("b"))
    d.link(t, g)
    d.link(g, f)
    d.link(f, inside, "loop_body")
    d.link(f, after, "after")
    assert found(validate_document(d.doc(), catalog)) == {("taskErrors", after, None)}


def test_unknown_task_is_a_warning_and_version_and_type_are_errors(catalog) -> None:
    d = Doc()
    t = d.step(A + "order_created", "TRIGGER")
    a = d.step("acme::teleport", where="moon")
    b = d.step(A + "add_order_tags", version="2.0", order_id="order.id", tags=tags("a"))
    c = d.step(A + "add_order_tags", "CONDITION", order_id="order.id", tags=tags("a"))
    m = d.step(
        A + "add_order_metafield", version="0.1", order_id="order.id", metafield="{}", value="x"
    )
    for s in (a, b, c, m):
        d.link(t, s)
    report = document_report(d.doc(), catalog)
    errors = report.errors
    assert validate_document(d.doc(), catalog) == errors
    assert found(errors) == {
        ("taskErrors", b, None),
        ("taskErrors", c, None),
        # each version is checked against its own fields
        ("configFieldErrors", m, "metafield"),
        ("configFieldErrors", m, "namespace"),
        ("configFieldErrors", m, "key"),
        ("configFieldErrors", m, "value_type"),
    }
    assert found(report.warnings) == {("taskErrors", a, None)}
    assert "unknown task acme::teleport" in report.warnings[0].message
    messages = " | ".join(e.message for e in errors)
    assert "unknown version '2.0'" in messages and "known: 0.1" in messages
    assert "task_type CONDITION disagrees" in messages


def test_unknown_tasks_can_be_errors_where_the_model_is_judged(catalog) -> None:
    d = Doc()
    t = d.step("0b7d7f9e-4c1a-4a4e-9a53-2f0e6d1c8b21", "TRIGGER", version="draft")
    a = d.step("acme::teleport", where="moon")
    b = d.step(A + "add_order_tags", order_id="order.id", tags=tags("x"))
    d.link(t, a)
    d.link(a, b)
    strict = document_report(d.doc(), catalog, unknown_tasks="error")
    # The same bucket and steps as the warnings, now errors; the other checks are unchanged
    # (after the unknown trigger any name may still be in scope: no second error for order).
    assert strict.warnings == []
    assert found(strict.errors) == {("taskErrors", t, None), ("taskErrors", a, None)}
    assert [e.message for e in strict.errors] == [
        "unknown task 0b7d7f9e-4c1a-4a4e-9a53-2f0e6d1c8b21 (not in the catalog)",
        "unknown task acme::teleport (not in the catalog)",
    ]
    assert validate_document(d.doc(), catalog, unknown_tasks="error") == strict.errors
    assert validate(_to_model(d.doc()), catalog, unknown_tasks="error") == strict.errors
    # The default stays a warning (what `flowgen dsl validate` reports).
    assert validate_document(d.doc(), catalog) == []
    assert found(document_report(d.doc(), catalog).warnings) == found(strict.errors)
    with pytest.raises(ValueError, match="unknown_tasks must be 'warning' or 'error'"):
        validate_document(d.doc(), catalog, unknown_tasks="ignore")  # type: ignore[arg-type]


def test_after_an_unknown_trigger_any_name_may_be_in_scope(catalog) -> None:
    d = Doc()
    t = d.step("0b7d7f9e-4c1a-4a4e-9a53-2f0e6d1c8b21", "TRIGGER", version="draft")
    a = d.step(A + "add_order_tags", order_id="order.id", tags=tags("x"))
    s = d.step("acme_chat::post_message", channel="#ops", text="{{ order.name }}")
    e = d.step(F + "send_email", address="a@example.com", subject="s", message="{{order.name}}")
    d.link(t, a)
    d.link(a, s)
    d.link(s, e)
    report = document_report(d.doc(), catalog)
    assert report.errors == []
    assert found(report.warnings) == {("taskErrors", t, None), ("taskErrors", s, None)}


def test_an_unknown_step_on_one_path_only_does_not_open_the_scope(catalog) -> None:
    d = Doc()
    t = d.step(A + "customer_created", "TRIGGER")
    s = d.step("acme_chat::post_message", channel="#ops")
    a = d.step(A + "add_order_tags", order_id="order.id", tags=tags("x"))
    d.link(t, s)
    d.link(s, a)
    d.link(t, a)
    errors = validate_document(d.doc(), catalog)
    assert found(errors) == {("taskErrors", a, None), ("configFieldErrors", a, "order_id")}


def test_graph_problems(catalog) -> None:
    d = Doc()
    t = d.step(A + "order_created", "TRIGGER")
    a = d.step(A + "archive_order", order_id="order.id")
    orphan = d.step(A + "archive_order", order_id="order.id")
    b = d.step(A + "archive_order", order_id="order.id")
    d.link(t, a)
    d.link(a, b, "false")  # an ACTION has only `output`
    d.link(t, b, "output", "in")
    d.link(t, "ghost")
    errors = validate_document(d.doc(), catalog)
    assert found(errors) == {
        ("taskErrors", a, None),
        ("taskErrors", orphan, None),
        ("taskErrors", b, None),
        ("taskErrors", t, None),
    }
    text = " | ".join(e.message for e in errors)
    assert "orphan" in text and "'false'" in text and "'input'" in text and "ghost" in text


def test_no_trigger_two_triggers_and_cycles(catalog) -> None:
    d = Doc()
    a = d.step(A + "archive_order", order_id="x")
    errors = validate_document(d.doc(), catalog)
    assert ("taskErrors", None, None) in found(errors)

    d = Doc()
    t1 = d.step(A + "order_created", "TRIGGER")
    t2 = d.step(A + "order_paid", "TRIGGER")
    a = d.step(A + "archive_order", order_id="x")
    b = d.step(A + "archive_order", order_id="x")
    d.link(t1, a)
    d.link(t2, a)
    d.link(a, b)
    d.link(b, a)
    errors = validate_document(d.doc(), catalog)
    assert ("taskErrors", t2, None) in found(errors)
    assert any(e.message == "the links form a cycle" for e in errors)


# --- configFieldErrors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("boolean", "true", True),
        ("boolean", "false", True),
        ("boolean", "True", False),
        ("boolean", "yes", False),
        ("number", "500", True),
        ("number", "12.5", True),
        ("number", "-3", True),
        ("number", "{{ order.lineItems.size }}", True),
        ("number", "1e3", False),
        ("number", " 5", False),
        ("number", "five", False),
        ("string_list", '["vip","wholesale"]', True),
        ("string_list", "[]", True),
        ("string_list", '["a", 1]', False),
        ("string_list", '"vip"', False),
        ("string_list", "vip,gold", False),
        ("duration", "PT30M", True),
        ("duration", "P7D", True),
        ("duration", "P1Y2M3W4DT5H6M7.5S", True),
        ("duration", "P", False),
        ("duration", "PT", False),
        ("duration", "30 minutes", False),
        ("json", '{"a": [1, 2]}', True),
        ("json", "{a: 1}", False),
        ("list_path", "order.lineItems", True),
        ("list_path", "getOrderData", True),
        ("list_path", "order..lineItems", False),
        ("list_path", "{{order.lineItems}}", False),
        ("text", "anything {{ at.all }}", True),
        ("resource_id", "order.id", True),
        ("resource_id", "fulfillmentOrdersForeachitem.id", True),
        ("resource_id", '{"value":"","default_value":"order.id"}', True),
        ("resource_id", '{"value":"customer.id","default_value":"order.customer.id"}', True),
        ("resource_id", "{{order.id}}", False),
        ("resource_id", "gid://shopify/Order/1", False),
        ("resource_id", '{"value":"","default_value":"{{order.id}}"}', False),
        ("resource_id", '{"default_value":"order.id"}', False),
    ],
)
def test_field_kinds(kind: str, value: str, ok: bool) -> None:
    assert (field_value_problem(kind, value) is None) is ok


def test_enum_field_values() -> None:
    assert field_value_problem("enum", "HIGH", ("HIGH", "LOW")) is None
    assert "not one of HIGH, LOW" in field_value_problem("enum", "high", ("HIGH", "LOW"))


def test_durations_in_seconds() -> None:
    assert duration_seconds("PT30M") == 1800
    assert duration_seconds("P7D") == 7 * 86400
    assert duration_seconds("P1W") == 7 * 86400
    assert duration_seconds("P1M") == 30 * 86400
    assert duration_seconds("nope") is None


@pytest.mark.parametrize(
    ("rules", "ok"),
    [
        (["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=DAILY"], True),
        (["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=MINUTELY;INTERVAL=10"], True),
        (["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=MINUTELY;INTERVAL=5"], False),
        (["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=MINUTELY"], False),
        (["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=HOURLY;BYMINUTE=0,5"], False),
        (["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=HOURLY;BYMINUTE=0,30"], True),
        (["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=SECONDLY;INTERVAL=600"], True),
        (["DTSTART;TZID=UTC:20260105T090000"], False),
        (["RRULE:FREQ=FORTNIGHTLY"], False),
        (["RRULE:FREQ=DAILY;INTERVAL=0"], False),
        ([], False),
    ],
)
def test_recurrences(rules: list[str], ok: bool) -> None:
    assert (recurrence_problem(json.dumps(rules)) is None) is ok
    assert recurrence_problem("RRULE:FREQ=DAILY") is not None


def test_five_minute_recurrence_is_a_config_error(catalog) -> None:
    d = Doc()
    rec = json.dumps(["DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=MINUTELY;INTERVAL=5"])
    t = d.step(F + "scheduled_time", "TRIGGER", recurrence=rec)
    errors = validate_document(d.doc(), catalog)
    assert found(errors) == {("configFieldErrors", t, "recurrence")}
    assert "every 5 minutes" in errors[0].message and "10 minutes" in errors[0].message


def test_missing_unknown_duplicate_and_badly_typed_fields(catalog) -> None:
    d = Doc()
    t = d.step(A + "order_created", "TRIGGER")
    a = d.step(
        A + "cancel_order", order_id="order.id", reason="MAYBE", restock="True", colour="red"
    )
    b = d.step(F + "fetch::orders", version="v1", max_root_records="101")
    d.link(t, a)
    d.link(t, b)
    d.steps[1]["config_field_values"].append({"config_field_id": "order_id", "value": "y"})
    errors = validate_document(d.doc(), catalog)
    assert found(errors) == {
        ("configFieldErrors", a, "reason"),
        ("configFieldErrors", a, "restock"),
        ("configFieldErrors", a, "colour"),
        ("configFieldErrors", a, "order_id"),
        ("configFieldErrors", b, "max_root_records"),
    }
    d2 = Doc()
    t = d2.step(A + "order_created", "TRIGGER")
    a = d2.step(A + "add_order_tags", order_id="order.id")
    d2.link(t, a)
    errors = validate_document(d2.doc(), catalog)
    assert found(errors) == {("configFieldErrors", a, "tags")}
    assert errors[0].message == "required field tags is missing"


def test_foreach_listpath_must_be_a_list_in_scope(catalog) -> None:
    d = Doc()
    t = d.step(A + "customer_created", "TRIGGER")
    f1 = d.step(F + "foreach", "FOREACH", listpath="customer.email")
    f2 = d.step(F + "foreach", "FOREACH", listpath="order.lineItems")
    f3 = d.step(F + "foreach", "FOREACH", listpath="customer.orders")
    for f in (f1, f2, f3):
        d.link(t, f)
    errors = validate_document(d.doc(), catalog)
    assert found(errors) == {
        ("configFieldErrors", f1, "listpath"),
        ("configFieldErrors", f2, "listpath"),
    }


@pytest.mark.parametrize(
    ("template", "missing"),
    [
        ("{{ order.name }}", ["order"]),
        ("{{ customer.email }} {{ shop.name }}", []),
        ("{% for order in customer.orders %}{{ order.name }}{% endfor %}", []),
        ("{% assign c = product.title %}{{ c }}", ["product"]),
        ("{{ customer.email | append: order.name }}", ["order"]),
        ("{{ 'order' }} {{ customer.tags | join: ', ' }}", []),
        ("{% if count > 1 %}x{% endif %} {{ getOrderData1 }}", ["count", "getOrderData1"]),
        ("{{ whatever.unknown }}", []),
    ],
)
def test_liquid_names_out_of_scope(catalog, template: str, missing: list[str]) -> None:
    from flowgen_core.dsl.validate import liquid_out_of_scope

    scope = {"customer": "Customer", "shop": "Shop"}
    assert liquid_out_of_scope(template, scope, catalog.environment) == missing


# --- conditionErrors ----------------------------------------------------------------------------


def _condition_errors(catalog, condition: str, trigger: str = "order_created") -> list:
    d = Doc()
    t = d.step(A + trigger, "TRIGGER")
    c = d.step(F + "condition", "CONDITION", condition=condition)
    d.link(t, c)
    errors = validate_document(d.doc(), catalog)
    assert {(e.bucket, e.step_id, e.field) for e in errors} <= {("conditionErrors", c, "condition")}
    return [e.message for e in errors]


TOTAL = "order.totalPriceSet.shopMoney.amount"


def test_liquid_in_a_condition(catalog) -> None:
    msgs = _condition_errors(catalog, cmp(TOTAL, ">", "{{ shop.min }}", S + "Money"))
    assert msgs == ["Liquid is not allowed in conditions: '{{ shop.min }}'"]
    assert _condition_errors(catalog, cmp("{% if x %}", "==", "1", S + "String"))


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cmp(TOTAL, ">", "500", S + "Money"), None),
        (cmp(TOTAL, ">", "500", S + "Decimal"), None),
        (cmp("order.note", "nil?", None, S + "String"), None),
        (cmp("order.tags", "include?", "vip", S + "String"), None),
        (
            cmp(
                "order.riskLevel", "in?", "HIGH,MEDIUM", "EnvironmentEnumDefinition:OrderRiskLevel"
            ),
            None,
        ),
        (cmp("order.note", "nil?", "x", S + "String"), "takes no right-hand side"),
        (cmp(TOTAL, ">", None, S + "Money"), "needs a right-hand side"),
        (cmp(TOTAL, "~=", "1", S + "Money"), "unknown comparison operator"),
        (cmp(TOTAL, "==", "abc", S + "Money"), "is not a number"),
        (cmp(TOTAL, "starts_with?", "1", S + "String"), "the path is a Money"),
        (cmp("order.email", ">", "a", S + "String"), "compares numbers or dates"),
        (cmp("order.fullyPaid", "==", "maybe", S + "Boolean"), "not true or false"),
        (
            cmp("order.riskLevel", "==", "SEVERE", "EnvironmentEnumDefinition:OrderRiskLevel"),
            "not a value of",
        ),
        (cmp("order.email", "==", "a", "String"), "value_type"),
        (cmp("customer.email", "==", "a", S + "String"), "customer is not in scope"),
    ],
)
def test_condition_checks(catalog, condition: str, expected: str | None) -> None:
    msgs = _condition_errors(catalog, condition)
    if expected is None:
        assert msgs == []
    else:
        assert any(expected in m for m in msgs), msgs


def test_condition_structure_and_arrays(catalog) -> None:
    inner = json.loads(cmp("item.sku", "starts_with?", "PRE", S + "String"))
    inner["parent_uuid"] = "arr"
    arr = {
        "uuid": "arr",
        "array_path": "order.lineItems",
        "array_item_key": "item",
        "operation": inner,
        "operator": "ANY",
        "operation_type": "ArrayExpression",
    }
    assert _condition_errors(catalog, json.dumps(arr)) == []
    bad = {**arr, "operator": "SOME", "array_path": "order.email"}
    msgs = _condition_errors(catalog, json.dumps(bad))
    assert any("unknown array operator" in m for m in msgs)
    assert any("not a list" in m for m in msgs)
    wrong_parent = {**arr, "operation": {**inner, "parent_uuid": "elsewhere"}}
    assert any("names parent" in m for m in _condition_errors(catalog, json.dumps(wrong_parent)))
    logic = {
        "uuid": "x",
        "lhs": arr,
        "rhs": arr,
        "operator": "XOR",
        "operation_type": "LogicalExpression",
    }
    assert any(
        "unknown logical operator" in m for m in _condition_errors(catalog, json.dumps(logic))
    )
    assert _condition_errors(catalog, json.dumps({"uuid": "x", "operation_type": "Magic"}))
    assert _condition_errors(catalog, "not json") == ["the condition is not valid JSON"]


def _wrap(inner: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The editor's one-operand wrapper: a Logical AND with no `rhs` key (flow-format.md)."""
    return {
        "uuid": "w",
        "lhs": {**inner, "parent_uuid": "w"},
        **extra,
        "operator": "AND",
        "operation_type": "LogicalExpression",
    }


def test_the_one_operand_wrapper_is_checked_through_its_operand(catalog) -> None:
    good = json.loads(cmp(TOTAL, ">", "500", S + "Money"))
    assert _condition_errors(catalog, json.dumps(_wrap(good))) == []
    # The wrapper's operand is checked like any node: scope, types, parents.
    out_of_scope = json.loads(cmp("customer.email", "==", "a", S + "String"))
    msgs = _condition_errors(catalog, json.dumps(_wrap(out_of_scope)))
    assert msgs == ["customer is not in scope at this step (customer.email)"]
    wrong_type = json.loads(cmp(TOTAL, "starts_with?", "1", S + "String"))
    assert any(
        "the path is a Money" in m
        for m in _condition_errors(catalog, json.dumps(_wrap(wrong_type)))
    )
    orphan = _wrap(good)
    orphan["lhs"]["parent_uuid"] = "elsewhere"
    assert any("names parent" in m for m in _condition_errors(catalog, json.dumps(orphan)))
    # An `rhs` key that is present must be a node; a wrapper needs its one operand.
    assert _condition_errors(catalog, json.dumps(_wrap(good, rhs=None))) == [
        "a condition node is not an object"
    ]
    no_operand = {"uuid": "w", "operator": "AND", "operation_type": "LogicalExpression"}
    assert _condition_errors(catalog, json.dumps(no_operand)) == [
        "a condition node is not an object"
    ]


def _env(uuid: str, parent: str, value: str, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "parent_uuid": parent,
        "value": value,
        "comparison_value_type": "EnvironmentValue",
        **extra,
    }


def _array_of_operands(path: str, key: str, inner: dict[str, Any]) -> dict[str, Any]:
    """An ArrayExpression as real exports write it: path and item key as operand objects."""
    return {
        "uuid": "arr",
        "array_path": _env("p", "arr", path),
        "array_item_key": _env("k", "arr", key),
        "operation": {**inner, "parent_uuid": "arr"},
        "operator": "ANY",
        "operation_type": "ArrayExpression",
    }


def test_array_path_and_item_key_as_operand_objects(catalog) -> None:
    sku = json.loads(cmp("lineItems_item.sku", "starts_with?", "PRE", S + "String"))
    arr = _array_of_operands("order.lineItems", "lineItems_item", sku)
    assert _condition_errors(catalog, json.dumps(arr)) == []
    assert _condition_errors(catalog, json.dumps(_wrap(arr))) == []
    # The item key's value names the item inside the operation, with the list's item type.
    as_money = json.loads(cmp("lineItems_item.sku", "==", "1", S + "Money"))
    msgs = _condition_errors(
        catalog, json.dumps(_array_of_operands("order.lineItems", "lineItems_item", as_money))
    )
    assert msgs == ["the path is a String, compared as Money"]
    # A full path on the array path is the path, as on any operand.
    full = {**arr, "array_path": _env("p", "arr", "x", full_environment_path="order.lineItems")}
    assert _condition_errors(catalog, json.dumps(full)) == []
    # The path is checked like a string path: a list, in scope.
    msgs = _condition_errors(catalog, json.dumps(_array_of_operands("order.email", "e", sku)))
    assert msgs == ["array_path order.email is a String, not a list"]
    msgs = _condition_errors(
        catalog, json.dumps(_array_of_operands("customer.addresses", "a", sku))
    )
    assert msgs == ["customer is not in scope at this step (customer.addresses)"]
    # Operand objects carry their parent, and only an environment value names a path.
    wrong_parent = {**arr, "array_item_key": _env("k", "elsewhere", "lineItems_item")}
    assert any("names parent" in m for m in _condition_errors(catalog, json.dumps(wrong_parent)))
    literal = {**arr, "array_path": {**arr["array_path"], "comparison_value_type": "LiteralValue"}}
    assert _condition_errors(catalog, json.dumps(literal)) == [
        "array_path must be an EnvironmentValue operand, not 'LiteralValue'"
    ]
    liquid = {**arr, "array_path": _env("p", "arr", "{{ order.lineItems }}")}
    assert _condition_errors(catalog, json.dumps(liquid)) == [
        "Liquid is not allowed in conditions: '{{ order.lineItems }}'"
    ]
    missing = {k: v for k, v in arr.items() if k != "array_item_key"}
    assert _condition_errors(catalog, json.dumps(missing)) == [
        "an array expression needs array_path and array_item_key"
    ]


def test_environment_operands_without_a_full_path_are_read_by_their_value(catalog) -> None:
    def bare(condition: str, **lhs: Any) -> str:
        node = json.loads(condition)
        del node["lhs"]["full_environment_path"]
        node["lhs"].update(lhs)
        return json.dumps(node)

    assert _condition_errors(catalog, bare(cmp(TOTAL, ">", "500", S + "Money"))) == []
    msgs = _condition_errors(catalog, bare(cmp(TOTAL, "starts_with?", "1", S + "String")))
    assert any("the path is a Money" in m for m in msgs)
    msgs = _condition_errors(catalog, bare(cmp("customer.email", "==", "a", S + "String")))
    assert msgs == ["customer is not in scope at this step (customer.email)"]
    both = json.loads(bare(cmp("order.email", "==", "x", S + "String")))
    both["rhs"] = _env("r", "c", "order.customer.email")
    assert _condition_errors(catalog, json.dumps(both)) == []
    # A full path that is there but not a string is reported, not passed over.
    msgs = _condition_errors(
        catalog, bare(cmp("order.email", "==", "a", S + "String"), full_environment_path=None)
    )
    assert msgs == ["full_environment_path None is not a string"]


# --- foreachBodyErrors and limits ---------------------------------------------------------------


def test_foreach_body_with_a_wait_a_loop_and_get_data(catalog) -> None:
    d = Doc()
    t = d.step(A + "order_created", "TRIGGER")
    f = d.step(F + "foreach", "FOREACH", listpath="order.lineItems")
    w = d.step(F + "wait", "WAIT", wait_duration="PT1H")
    inner = d.step(F + "foreach", "FOREACH", listpath="order.lineItems")
    g = d.step(F + "fetch::products", version="v1", max_root_records="1")
    ok = d.step(A + "add_order_tags", order_id="order.id", tags=tags("x"))
    after = d.step(F + "wait", "WAIT", wait_duration="PT1H")
    d.link(t, f)
    d.link(f, w, "loop_body")
    d.link(w, inner)
    d.link(f, g, "loop_body")
    d.link(g, ok)
    d.link(f, after, "after")
    errors = validate_document(d.doc(), catalog)
    assert found(errors) == {
        ("foreachBodyErrors", w, None),
        ("foreachBodyErrors", inner, None),
        ("foreachBodyErrors", g, None),
    }


def test_ninety_one_days_of_waits_on_one_path(catalog) -> None:
    d = Doc()
    t = d.step(A + "order_created", "TRIGGER")
    w1 = d.step(F + "wait", "WAIT", wait_duration="P60D")
    w2 = d.step(F + "wait", "WAIT", wait_duration="P31D")
    w3 = d.step(F + "wait", "WAIT", wait_duration="P1D")
    short = d.step(F + "wait", "WAIT", wait_duration="P30D")
    d.link(t, w1)
    d.link(w1, w2)
    d.link(w2, w3)  # already over: reported once, where the path first crosses
    d.link(t, short)
    d.link(short, w3)
    errors = validate_document(d.doc(), catalog)
    assert found(errors) == {("taskErrors", w2, "wait_duration")}
    assert "91 days" in errors[0].message


def test_exactly_ninety_days_is_allowed(catalog) -> None:
    d = Doc()
    t = d.step(A + "order_created", "TRIGGER")
    w1 = d.step(F + "wait", "WAIT", wait_duration="P60D")
    w2 = d.step(F + "wait", "WAIT", wait_duration="P30D")
    d.link(t, w1)
    d.link(w1, w2)
    assert validate_document(d.doc(), catalog) == []


# --- the result's shape ---------------------------------------------------------------------------


def test_errors_are_frozen_sorted_and_grouped(catalog) -> None:
    d = Doc()
    t = d.step(A + "customer_created", "TRIGGER")
    a = d.step(A + "add_order_tags", order_id="x", tags="bad")
    c = d.step(
        F + "condition", "CONDITION", condition=cmp("customer.email", "nil?", "x", S + "String")
    )
    d.link(t, a)
    d.link(t, c)
    errors = validate_document(d.doc(), catalog)
    assert [e.bucket for e in errors] == ["configFieldErrors", "conditionErrors", "taskErrors"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        errors[0].message = "x"  # type: ignore[misc]
    grouped = errors_by_bucket(errors)
    assert list(grouped) == list(BUCKETS)
    assert grouped["taskErrors"] == [{"step_id": a, "field": None, "message": errors[2].message}]
    assert grouped["foreachBodyErrors"] == []
    assert validate_document(d.doc(), catalog) == errors
    json.dumps(grouped)


def _to_model(doc: dict[str, Any]):
    from flowgen_core.dsl.model import ConfigValue, Link, Step, Workflow

    root = doc["root"]
    steps = tuple(
        Step(
            step_id=s["step_id"],
            task_id=s["task_id"],
            task_version=s["task_version"],
            task_type=s["task_type"],
            config_field_values=tuple(
                ConfigValue(c["config_field_id"], c["value"]) for c in s["config_field_values"]
            ),
        )
        for s in root["steps"]
    )
    links = tuple(
        Link(lk["from_step_id"], lk["from_port_id"], lk["to_step_id"], lk["to_port_id"])
        for lk in root["links"]
    )
    return Workflow(steps=steps, links=links)


def test_typed_workflow_gives_the_same_errors_as_the_document(catalog) -> None:
    from flowgen_core.dsl.validate import validate

    checked = 0
    for name in CORPUS_FILES:
        doc = json.loads((CORPUS / name).read_text(encoding="utf-8").partition(":")[2])
        assert validate(_to_model(doc), catalog) == validate_document(doc, catalog), name
        checked += 1
    assert checked >= 100


# --- the corpus ---------------------------------------------------------------------------------


CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.flow"))
EXPECTED = json.loads((CORPUS / "expected_errors.json").read_text(encoding="utf-8"))


def test_corpus_is_large_and_its_expected_errors_name_its_files() -> None:
    # The .flow files are the corpus (exported bytes, added as files); nothing generates them.
    assert len(CORPUS_FILES) >= 100
    assert len(CORPUS_FILES) - len(EXPECTED) >= 100  # mostly valid workflows
    assert set(EXPECTED) <= set(CORPUS_FILES)


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file_is_valid_or_has_its_expected_errors(catalog, name: str) -> None:
    data = (CORPUS / name).read_bytes()
    digest, _, payload = data.partition(b":")
    assert hashlib.sha256(payload).hexdigest().encode() == digest
    doc = json.loads(payload)
    assert json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode() == payload
    errors = validate_document(doc, catalog)
    got = sorted(([e.bucket, e.step_id, e.field] for e in errors), key=json.dumps)
    assert got == EXPECTED.get(name, [])
    # the same through the project's reader and typed model
    from flowgen_core.dsl.flowfile import read_flow
    from flowgen_core.dsl.validate import validate

    assert validate(read_flow(data), catalog) == errors


SHAPES = CORPUS / "real_shapes"
SHAPE_FILES = sorted(p.name for p in SHAPES.glob("*.flow"))


@pytest.mark.parametrize("name", SHAPE_FILES)
def test_real_shapes_file_is_valid_with_warnings_only_for_unknown_tasks(catalog, name: str) -> None:
    # The real-shapes corpus (its own generator: prefixes that do not match, bare payloads) is
    # held to the main corpus's rule: valid, here with no expected errors at all.
    data = (SHAPES / name).read_bytes()
    wf = read_flow(data)
    report = validation_report(wf, catalog)
    assert report.errors == []
    unknown = [s.step_id for s in wf.steps if catalog.get(s.task_id) is None]
    assert [w.step_id for w in report.warnings] == unknown
    assert all(w.message.startswith("unknown task ") for w in report.warnings)
    assert document_report(json.loads(read_envelope(data).payload), catalog) == report


def test_corpus_covers_every_construct() -> None:
    texts = {name: (CORPUS / name).read_text(encoding="utf-8") for name in CORPUS_FILES}
    docs = [json.loads(t.partition(":")[2]) for t in texts.values()]
    conditions = "\n".join(
        c["value"]
        for d in docs
        for s in d["root"]["steps"]
        for c in s["config_field_values"]
        if c["config_field_id"] == "condition"
    )
    for op in [
        "ANY", "ALL", "NONE", "AND", "OR", "in?", "not_in?", "include?", "not_include?", "nil?",
        "not_nil?", "empty_or_nil?", "not_empty_and_not_nil?", "starts_with?", "ends_with?",
        "==", "!=", ">", ">=", "<", "<=",
    ]:  # fmt: skip
        assert f'"operator":"{op}"' in conditions, op
    everything = "\n".join(texts.values())
    for needle in [
        "slack::send_message", "google_sheets::add_row", "shopify::flow::run_code",
        "shopify::flow::count", "shopify::flow::sum", '"from_port_id":"after"',
        '"from_port_id":"loop_body"', "shopify::flow::wait", '"merchant_configured":true',
        '"step_id":1,', "\\n", "\\\\", "🇨🇭", "shopify::flow::fetch::orders", "acme::",
    ]:  # fmt: skip
        assert needle in everything, needle
    assert any('"vertical_layout_enabled"' not in t for t in texts.values())
    assert any('"variables":[{' in t for t in texts.values())
    assert any('"step_position":[-120.5' in t for t in texts.values())
    steps = [s for d in docs for s in d["root"]["steps"]]
    assert any("description" not in s for s in steps)
    assert any(isinstance(s["step_position"][0], float) for s in steps)
    # both condition ports into one step, and fan-out from one port
    links = [(d, lk) for d in docs for lk in d["root"]["links"]]
    pairs = {(id(d), lk["from_step_id"], lk["to_step_id"], lk["from_port_id"]) for d, lk in links}
    assert any((a, f, t, "false") in pairs for a, f, t, p in pairs if p == "true")
