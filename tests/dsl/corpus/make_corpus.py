"""Generate the workflow corpus: `.flow` files in the exact export format, plus expected errors.

Run `python tests/dsl/corpus/make_corpus.py` from the repository root; the output is
deterministic (ids are uuid5 of the file name and a counter), so rerunning rewrites the same
bytes. The documents are built as raw dicts in export key order and written with the
`<sha256>:` prefix, so the corpus does not depend on the project's own writer.

Every file is valid against the catalog except those listed in `expected_errors.json`, which
maps a file name to the errors the validator must report, each `[bucket, step_id, field]`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMESPACE = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f")
ABSENT = object()

# Versions other than "0.1" that real exports write (catalog-facts.md); Get data steps are "v1".
VERSIONS = {"shopify::flow::send_http": "2.0", "shopify::admin::add_order_metafield": "1.0"}


def task_version(task_id: str) -> str:
    if task_id.startswith("shopify::flow::fetch::"):
        return "v1"
    return VERSIONS.get(task_id, "0.1")


# Task types of the tasks the corpus uses (a copy, so the corpus needs no project import).
TYPES = {
    "shopify::flow::condition": "CONDITION",
    "shopify::flow::foreach": "FOREACH",
    "shopify::flow::wait": "WAIT",
}

S = "EnvironmentScalarDefinition:"
E = "EnvironmentEnumDefinition:"


def task_type(task_id: str, triggers: set[str]) -> str:
    if task_id in TYPES:
        return TYPES[task_id]
    return "TRIGGER" if task_id in triggers else "ACTION"


TRIGGERS = {
    "shopify::admin::" + name
    for name in [
        "order_created",
        "order_paid",
        "order_fulfilled",
        "order_cancelled",
        "order_risk_analyzed",
        "order_transaction_created",
        "draft_order_created",
        "customer_created",
        "customer_tags_added",
        "customer_abandons_checkout",
        "customer_joined_segment",
        "product_created",
        "product_status_updated",
        "product_variant_out_of_stock",
        "product_variant_back_in_stock",
        "product_variant_inventory_quantity_changed",
        "fulfillment_order_placed_on_hold",
        "fulfillment_event_created",
        "refund_created",
        "return_requested",
        "dispute_created",
        "company_created",
        "payment_schedule_due",
        "subscription_billing_attempt_failure",
        "subscription_contract_created",
        "workflow_error_occurred",
        "collection_created",
        "customer_subscribed_to_email_marketing",
        "fulfillment_created",
        "fulfillment_order_ready_to_fulfill",
        "order_deleted",
    ]
} | {
    "shopify::flow::scheduled_time",
    "product_reviews::review_created",
    "loyalty_rewards::points_balance_changed",
}


class Cond:
    """Condition trees in export key order with deterministic uuids."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids

    def _operand(self, parent: str, value: str | None, env: bool) -> dict[str, Any] | None:
        if value is None:
            return None
        node: dict[str, Any] = {"uuid": self.ids.next(), "parent_uuid": parent, "value": value}
        if env:
            node["comparison_value_type"] = "EnvironmentValue"
            node["full_environment_path"] = value
        else:
            node["comparison_value_type"] = "LiteralValue"
        return node

    def cmp(
        self,
        path: str,
        op: str,
        value: str | None,
        value_type: str,
        *,
        parent: str | None = None,
        rhs_env: bool = False,
        lhs_literal: bool = False,
    ) -> dict[str, Any]:
        me = self.ids.next()
        node: dict[str, Any] = {"uuid": me}
        if parent is not None:
            node["parent_uuid"] = parent
        node["lhs"] = self._operand(me, path, not lhs_literal)
        node["rhs"] = self._operand(me, value, rhs_env)
        node["value_type"] = value_type
        node["operator"] = op
        node["operation_type"] = "Comparison"
        return node

    def logic(self, op: str, lhs: Any, rhs: Any, *, parent: str | None = None) -> dict[str, Any]:
        """lhs/rhs are callables taking the parent uuid (so children know it)."""
        me = self.ids.next()
        node: dict[str, Any] = {"uuid": me}
        if parent is not None:
            node["parent_uuid"] = parent
        node["lhs"] = lhs(me)
        node["rhs"] = rhs(me)
        node["operator"] = op
        node["operation_type"] = "LogicalExpression"
        return node

    def array(
        self, path: str, item_key: str, op: str, inner: Any, *, parent: str | None = None
    ) -> dict[str, Any]:
        me = self.ids.next()
        node: dict[str, Any] = {"uuid": me}
        if parent is not None:
            node["parent_uuid"] = parent
        node["array_path"] = path
        node["array_item_key"] = item_key
        node["operation"] = inner(me)
        node["operator"] = op
        node["operation_type"] = "ArrayExpression"
        return node


def text(node: dict[str, Any]) -> str:
    return json.dumps(node, separators=(",", ":"), ensure_ascii=False)


class Ids:
    """Deterministic ids for one file: uuid5, ULID-like or plain counters."""

    def __init__(self, seed: str, style: str = "uuid") -> None:
        self.seed = seed
        self.style = style
        self.n = 0

    def next(self) -> str:
        self.n += 1
        u = uuid.uuid5(NAMESPACE, f"{self.seed}/{self.n}")
        if self.style == "ulid":
            alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
            v = u.int
            return "".join(alphabet[(v >> (5 * i)) & 31] for i in range(26))[::-1]
        return str(u)


class W:
    """One workflow under construction."""

    def __init__(self, file: str, name: str, *, ids: str = "uuid") -> None:
        self.file = file
        self.name = name
        self.ids = Ids(file, ids)
        self.cond = Cond(Ids(file + "#cond", ids))
        self.steps: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.expected: list[list[Any]] = []
        self._int_ids = ids == "int"
        self._row = 0

    def add(
        self,
        task_id: str,
        config: list[tuple[str, str]] | tuple = (),
        *,
        type: str | None = None,
        version: str | None = None,
        pos: list[float] | None = None,
        sid: Any = None,
        description: Any = None,
        note: Any = None,
        name: Any = None,
    ) -> Any:
        if sid is None:
            sid = len(self.steps) + 1 if self._int_ids else self.ids.next()
        if pos is None:
            pos = [0, 200 * self._row]
        self._row += 1
        step: dict[str, Any] = {
            "step_id": sid,
            "step_position": pos,
            "config_field_values": [{"config_field_id": k, "value": v} for k, v in config],
            "task_id": task_id,
            "task_version": version or task_version(task_id),
            "task_type": type or task_type(task_id, TRIGGERS),
        }
        for key, value in (("description", description), ("note", note), ("name", name)):
            if value is not ABSENT:
                step[key] = value
        self.steps.append(step)
        return sid

    def link(self, a: Any, b: Any, port: str = "output", to_port: str = "input") -> None:
        self.links.append(
            {"from_step_id": a, "from_port_id": port, "to_step_id": b, "to_port_id": to_port}
        )

    def chain(self, *sids: Any) -> None:
        for a, b in itertools.pairwise(sids):
            self.link(a, b)

    def expect(self, bucket: str, step_id: Any, field: str | None) -> None:
        self.expected.append([bucket, step_id, field])

    def document(
        self,
        *,
        patched: list[dict[str, Any]] | None = None,
        variables: list[Any] | None = None,
        note: Any = None,
        vertical: Any = True,
    ) -> dict[str, Any]:
        root: dict[str, Any] = {
            "steps": self.steps,
            "links": self.links,
            "patched_fields": patched or [],
            "variables": variables or [],
            "note": note,
        }
        if vertical is not ABSENT:
            root["vertical_layout_enabled"] = vertical
        root["workflow_name"] = self.name
        return {"__metadata": {"version": 0.1}, "root": root}


OUT: dict[str, tuple[dict[str, Any], list[list[Any]]]] = {}


def emit(w: W, **doc_kw: Any) -> None:
    assert w.file not in OUT, w.file
    OUT[w.file] = (w.document(**doc_kw), w.expected)


A = "shopify::admin::"
F = "shopify::flow::"
TOTAL = "order.totalPriceSet.shopMoney.amount"


def tags(*values: str) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def order_tags(*values: str) -> list[tuple[str, str]]:
    return [("order_id", "order.id"), ("tags", tags(*values))]


def cond_step(w: W, node_fn: Any) -> Any:
    return w.add(F + "condition", [("condition", text(node_fn(w.cond)))])


# --- realistic workflows from the template categories ----------------------------------------


def realistic() -> None:
    w = W("orders_tag_high_value.flow", "Tag high-value orders")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, ">", "500", S + "Money"))
    a = w.add(A + "add_order_tags", order_tags("high-value"))
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("risk_cancel_high_risk_orders.flow", "Cancel high-risk orders")
    t = w.add(A + "order_risk_analyzed")
    c = cond_step(w, lambda c: c.cmp("order.riskLevel", "==", "HIGH", E + "OrderRiskLevel"))
    x = w.add(
        A + "cancel_order",
        [
            ("order_id", "order.id"),
            ("reason", "FRAUD"),
            ("notify_customer", "false"),
            ("restock", "true"),
            ("staff_note", "Cancelled by Flow: high risk"),
        ],
    )
    e = w.add(
        F + "send_email",
        [
            ("address", "risk@example.com"),
            ("subject", "Cancelled {{order.name}}"),
            ("message", "Risk level: {{order.riskLevel}}"),
        ],
    )
    w.chain(t, c)
    w.link(c, x, "true")
    w.link(c, e, "true")
    emit(w)

    w = W("risk_hold_medium_risk_fulfillment.flow", "Hold medium-risk orders")
    t = w.add(A + "order_risk_analyzed")
    c = cond_step(
        w,
        lambda c: c.logic(
            "OR",
            lambda p: c.cmp("order.riskLevel", "==", "MEDIUM", E + "OrderRiskLevel", parent=p),
            lambda p: c.cmp("order.riskLevel", "==", "HIGH", E + "OrderRiskLevel", parent=p),
        ),
    )
    f = w.add(F + "foreach", [("listpath", "order.fulfillmentOrders")])
    h = w.add(
        A + "hold_fulfillment_order",
        [
            ("fulfillment_order_id", "fulfillmentOrdersForeachitem.id"),
            ("reason", "HIGH_RISK_OF_FRAUD"),
            ("reason_notes", "Review before shipping"),
        ],
    )
    w.chain(t, c)
    w.link(c, f, "true")
    w.link(f, h, "loop_body")
    emit(w)

    w = W("payments_capture_unless_risky.flow", "Capture payment unless risky")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp("order.riskLevel", "==", "LOW", E + "OrderRiskLevel"))
    cap = w.add(A + "capture_payment", [("order_id", "order.id")])
    tag = w.add(A + "add_order_tags", order_tags("manual-review"))
    w.chain(t, c)
    w.link(c, cap, "true")
    w.link(c, tag, "false")
    emit(w)

    w = W("inventory_low_stock_alert_fires_once.flow", "Low stock alert")
    t = w.add(A + "product_variant_inventory_quantity_changed")
    c = cond_step(
        w,
        lambda c: c.logic(
            "AND",
            lambda p: c.cmp("productVariant.inventoryQuantity", "<", "10", S + "Int", parent=p),
            lambda p: c.cmp("inventoryQuantityPrior", ">=", "10", S + "Int", parent=p),
        ),
    )
    e = w.add(
        F + "send_email",
        [
            ("address", "buyer@example.com"),
            ("subject", "Low stock: {{product.title}}"),
            (
                "message",
                "{{productVariant.sku}} has {{productVariant.inventoryQuantity}} left "
                "(was {{inventoryQuantityPrior}}).",
            ),
        ],
    )
    w.chain(t, c)
    w.link(c, e, "true")
    emit(w)

    w = W("inventory_hide_sold_out_products.flow", "Hide sold-out products")
    t = w.add(A + "product_variant_out_of_stock")
    c = cond_step(w, lambda c: c.cmp("product.totalInventory", "<=", "0", S + "Int"))
    h = w.add(A + "hide_product", [("product_id", "product.id")])
    g = w.add(A + "add_product_tags", [("product_id", "product.id"), ("tags", tags("sold-out"))])
    w.chain(t, c)
    w.link(c, h, "true")
    w.link(c, g, "true")
    emit(w)

    w = W("inventory_back_in_stock_publish.flow", "Republish restocked products")
    t = w.add(A + "product_variant_back_in_stock")
    p = w.add(A + "publish_product", [("product_id", "product.id")])
    r = w.add(A + "remove_product_tags", [("product_id", "product.id"), ("tags", tags("sold-out"))])
    w.chain(t, p, r)
    emit(w)

    w = W("customers_weekly_lapsed_tagging.flow", "Tag lapsed customers weekly")
    t = w.add(
        F + "scheduled_time",
        [("recurrence", json.dumps(["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY"]))],
    )
    g = w.add(
        F + "fetch::customers",
        [("query", "last_order_date:<'-90d' AND -tag:lapsed"), ("max_root_records", "100")],
    )
    f = w.add(F + "foreach", [("listpath", "getCustomerData")])
    a = w.add(
        A + "add_customer_tags",
        [("customer_id", "getCustomerDataForeachitem.id"), ("tags", tags("lapsed"))],
    )
    w.chain(t, g, f)
    w.link(f, a, "loop_body")
    emit(w)

    w = W("loyalty_wait_7_days_recheck_vip.flow", "VIP after a week")
    t = w.add(A + "order_paid")
    wt = w.add(F + "wait", [("wait_duration", "P7D")])
    c = cond_step(
        w, lambda c: c.cmp("order.customer.amountSpent.amount", ">=", "1000", S + "Money")
    )
    a = w.add(
        A + "add_customer_tags", [("customer_id", "order.customer.id"), ("tags", tags("VIP"))]
    )
    p = w.add(
        "loyalty_rewards::award_points",
        [("customer_id", "order.customer.id"), ("points", "500"), ("reason", "Welcome to VIP")],
    )
    w.chain(t, wt, c)
    w.link(c, a, "true")
    w.link(c, p, "true")
    emit(w)

    w = W("fulfillment_hold_30_minutes_then_release.flow", "Hold new orders 30 minutes")
    t = w.add(A + "order_created")
    f1 = w.add(F + "foreach", [("listpath", "order.fulfillmentOrders")])
    h = w.add(
        A + "hold_fulfillment_order",
        [
            ("fulfillment_order_id", "fulfillmentOrdersForeachitem.id"),
            ("reason", "OTHER"),
            ("reason_notes", "Edit window"),
        ],
    )
    wt = w.add(F + "wait", [("wait_duration", "PT30M")])
    f2 = w.add(F + "foreach", [("listpath", "order.fulfillmentOrders")])
    r = w.add(
        A + "release_fulfillment_order_hold",
        [("fulfillment_order_id", "fulfillmentOrdersForeachitem.id")],
    )
    w.chain(t, f1)
    w.link(f1, h, "loop_body")
    w.link(f1, wt, "after")
    w.chain(wt, f2)
    w.link(f2, r, "loop_body")
    emit(w)

    w = W("custom_data_cart_attributes_to_metafields.flow", "Save gift message to metafield")
    t = w.add(A + "order_created")
    c = cond_step(
        w,
        lambda c: c.array(
            "order.customAttributes",
            "customAttributes_item",
            "ANY",
            lambda p: c.cmp(
                "customAttributes_item.key", "==", "gift_message", S + "String", parent=p
            ),
        ),
    )
    m = w.add(
        A + "add_order_metafield",
        [
            ("order_id", "order.id"),
            (
                "metafield",
                '{"namespace":"custom","key":"gift_message","type":"multi_line_text_field"}',
            ),
            (
                "value",
                "{% for a in order.customAttributes %}{% if a.key == 'gift_message' %}"
                "{{ a.value }}{% endif %}{% endfor %}",
            ),
        ],
    )
    w.chain(t, c)
    w.link(c, m, "true")
    emit(w)

    w = W("orders_daily_email_unfulfilled.flow", "Daily unfulfilled orders email")
    t = w.add(
        F + "scheduled_time",
        [
            (
                "recurrence",
                json.dumps(
                    ["DTSTART;TZID=America/New_York:20260105T080000\nRRULE:FREQ=DAILY;INTERVAL=1"]
                ),
            )
        ],
    )
    g = w.add(
        F + "fetch::orders",
        [
            ("sort_by", '{"sortKey":"CREATED_AT","order":"ASCENDING"}'),
            ("max_root_records", "50"),
            ("query", "fulfillment_status:unfulfilled created_at:>-2d"),
        ],
    )
    n = w.add(F + "count", [("listpath", "getOrderData")])
    e = w.add(
        F + "send_email",
        [
            ("address", "ops@example.com"),
            ("subject", "{{count}} unfulfilled orders"),
            ("message", "{% for o in getOrderData %}{{ o.name }}\n{% endfor %}"),
        ],
    )
    w.chain(t, g, n, e)
    emit(w)

    w = W("integration_erp_webhook_on_paid.flow", "Send paid orders to ERP")
    t = w.add(A + "order_paid")
    h = w.add(
        F + "send_http",
        [
            ("method", "POST"),
            ("url", "https://erp.example.com/api/orders"),
            ("headers", '[["Content-Type","application/json"],["X-Api-Key","{{shop.id}}"]]'),
            ("body", '{"id":"{{order.id}}","total":"{{order.totalPriceSet.shopMoney.amount}}"}'),
            ("on_client_error", "fail"),
            ("on_server_error", "retry"),
        ],
    )
    w.chain(t, h)
    emit(w)

    w = W("payment_reminders_dunning_failed_billing.flow", "Dunning on failed billing")
    t = w.add(A + "subscription_billing_attempt_failure")
    wt = w.add(F + "wait", [("wait_duration", "P3D")])
    r = w.add(
        A + "create_subscription_billing_attempt",
        [("subscription_contract_id", "subscriptionBillingAttempt.subscriptionContract.id")],
    )
    e = w.add(
        F + "send_email",
        [
            ("address", "billing@example.com"),
            ("subject", "Billing failed"),
            ("message", "{{subscriptionBillingAttempt.errorMessage}}"),
        ],
    )
    w.chain(t, wt, r)
    w.link(t, e)
    emit(w)

    w = W("error_monitoring_alert_on_workflow_errors.flow", "Alert on workflow errors")
    t = w.add(A + "workflow_error_occurred")
    a = w.add("shopify::iris::send_shopify_alert_for_errors", [])
    s = w.add(
        "slack::send_message",
        [
            ("channel", "#ops-alerts"),
            ("message", ":rotating_light: {{workflowError.workflowName}} failed"),
        ],
    )
    w.link(t, a)
    w.link(t, s)
    emit(w)

    w = W("buyer_experience_redirect_archived_products.flow", "Redirect archived products")
    t = w.add(A + "product_status_updated")
    c = cond_step(w, lambda c: c.cmp("product.status", "==", "ARCHIVED", E + "ProductStatus"))
    r = w.add(
        A + "created_redirect_url",
        [
            ("path", "/products/{{ product.handle }}"),
            ("target", "/collections/all"),
            ("overwrite_target", "false"),
        ],
    )
    w.chain(t, c)
    w.link(c, r, "true")
    emit(w)

    w = W("promotions_first_order_discount_email.flow", "Thank first-time customers")
    t = w.add(A + "order_paid")
    c = cond_step(w, lambda c: c.cmp("order.customer.numberOfOrders", "==", "1", S + "Int"))
    m = w.add(
        "shopify::email::execute_marketing_activity",
        [
            ("customer_id", "order.customer.id"),
            ("marketing_activity_id", "gid://shopify/MarketingActivity/42"),
        ],
    )
    w.chain(t, c)
    w.link(c, m, "true")
    emit(w)

    w = W("b2b_payment_schedule_due_reminder.flow", "Remind B2B customers of due payments")
    t = w.add(A + "payment_schedule_due")
    r = w.add(A + "send_payment_reminder", [("payment_schedule_id", "paymentSchedule.id")])
    w.chain(t, r)
    emit(w)

    w = W("b2b_company_created_payment_terms.flow", "Net 30 for new companies")
    t = w.add(A + "company_created")
    f = w.add(F + "foreach", [("listpath", "company.locations")])
    p = w.add(
        A + "update_company_location_payment_terms",
        [("company_location_id", "locationsForeachitem.id"), ("payment_terms", "NET_30")],
    )
    w.chain(t, f)
    w.link(f, p, "loop_body")
    emit(w)

    w = W("customers_abandoned_checkout_tag.flow", "Tag cart abandoners")
    t = w.add(A + "customer_abandons_checkout")
    a = w.add(
        A + "add_customer_tags",
        [("customer_id", "customer.id"), ("tags", tags("abandoned-checkout"))],
    )
    w.chain(t, a)
    emit(w)

    w = W("fulfillment_delivered_review_request.flow", "Ask for a review after delivery")
    t = w.add(A + "fulfillment_event_created")
    c = cond_step(w, lambda c: c.cmp("fulfillmentEvent.status", "==", "DELIVERED", S + "String"))
    wt = w.add(F + "wait", [("wait_duration", "P5D")])
    r = w.add("product_reviews::request_review", [("order_id", "fulfillment.order.id")])
    w.chain(t, c)
    w.link(c, wt, "true")
    w.chain(wt, r)
    emit(w)

    w = W("loyalty_review_points.flow", "Points for reviews")
    t = w.add("product_reviews::review_created", type="TRIGGER")
    c = cond_step(w, lambda c: c.cmp("review.rating", ">=", "4", S + "Int"))
    a = w.add("loyalty_rewards::award_points", [("customer_id", "customer.id"), ("points", "50")])
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("loyalty_deduct_points_on_refund.flow", "Deduct points on refund")
    t = w.add(A + "refund_created")
    d = w.add(
        "loyalty_rewards::deduct_points",
        [
            ("customer_id", "order.customer.id"),
            ("points", "{{refund.totalRefundedSet.shopMoney.amount | round}}"),
        ],
    )
    w.chain(t, d)
    emit(w)


# --- constructs of the format ------------------------------------------------------------------


def constructs() -> None:
    w = W("fan_out_three_branches.flow", "Fan-out to three actions")
    t = w.add(A + "order_created")
    for i, tg in enumerate(["one", "two", "three"]):
        a = w.add(A + "add_order_tags", order_tags(tg), pos=[300 * (i - 1), 200])
        w.link(t, a)
    emit(w)

    w = W("join_two_conditions_into_one_action.flow", "Join")
    t = w.add(A + "order_created")
    c1 = cond_step(w, lambda c: c.cmp(TOTAL, ">", "100", S + "Money"))
    c2 = cond_step(
        w, lambda c: c.cmp("order.currentSubtotalLineItemsQuantity", ">", "5", S + "Int")
    )
    a = w.add(A + "add_order_tags", order_tags("big"))
    w.link(t, c1)
    w.link(t, c2)
    w.link(c1, a, "true")
    w.link(c2, a, "true")
    emit(w)

    w = W("both_condition_ports_to_one_step.flow", "Both ports into one step")
    t = w.add(A + "order_paid")
    c = cond_step(w, lambda c: c.cmp("order.email", "ends_with?", "@example.com", S + "String"))
    a = w.add(A + "add_order_tags", order_tags("checked"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.link(c, a, "false")
    emit(w)

    w = W("condition_false_branch_only.flow", "Only the false branch")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp("order.customer", "not_nil?", None, S + "String"))
    a = w.add(A + "add_order_tags", order_tags("guest-checkout"))
    w.chain(t, c)
    w.link(c, a, "false")
    emit(w)

    w = W("condition_with_no_links_out.flow", "Condition with no branches")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, ">", "1", S + "Money"))
    w.chain(t, c)
    emit(w)

    w = W("nested_any_all_none.flow", "Nested array expressions")
    t = w.add(A + "order_created")
    c = cond_step(
        w,
        lambda c: c.logic(
            "AND",
            lambda p: c.array(
                "order.lineItems",
                "lineItems_item",
                "ANY",
                lambda q: c.array(
                    "lineItems_item.product.collections",
                    "collections_item",
                    "NONE",
                    lambda r: c.cmp(
                        "collections_item.handle", "==", "clearance", S + "String", parent=r
                    ),
                    parent=q,
                ),
                parent=p,
            ),
            lambda p: c.array(
                "order.lineItems",
                "lineItems_item",
                "ALL",
                lambda q: c.cmp(
                    "lineItems_item.requiresShipping", "==", "true", S + "Boolean", parent=q
                ),
                parent=p,
            ),
        ),
    )
    a = w.add(A + "add_order_tags", order_tags("full-price-shipping"))
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("deep_logical_chain_and_or.flow", "Long AND/OR chain")
    t = w.add(A + "order_created")
    c = cond_step(
        w,
        lambda c: c.logic(
            "OR",
            lambda p: c.cmp(TOTAL, ">", "1000", S + "Money", parent=p),
            lambda p: c.logic(
                "AND",
                lambda q: c.cmp("order.tags", "include?", "wholesale", S + "String", parent=q),
                lambda q: c.logic(
                    "AND",
                    lambda r: c.cmp(
                        "order.shippingAddress.countryCodeV2",
                        "in?",
                        "US,CA,MX",
                        S + "String",
                        parent=r,
                    ),
                    lambda r: c.cmp(
                        "order.customer.numberOfOrders", ">=", "3", S + "Int", parent=r
                    ),
                    parent=q,
                ),
                parent=p,
            ),
        ),
    )
    a = w.add(A + "add_order_tags", order_tags("priority"))
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("array_any_on_tags_list.flow", "Any tag starts with vip")
    t = w.add(A + "customer_tags_added")
    c = cond_step(
        w,
        lambda c: c.array(
            "tags",
            "tags_item",
            "ANY",
            lambda p: c.cmp("tags_item", "starts_with?", "vip", S + "String", parent=p),
        ),
    )
    a = w.add(
        A + "update_customer_note",
        [
            ("customer_id", "customer.id"),
            ("note", "VIP since {{ 'now' | date: '%Y' }}"),
            ("append", "true"),
        ],
    )
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("env_value_on_both_sides.flow", "Compare two paths")
    t = w.add(A + "product_variant_inventory_quantity_changed")
    c = cond_step(
        w,
        lambda c: c.cmp(
            "productVariant.inventoryQuantity",
            "<",
            "inventoryQuantityPrior",
            S + "Int",
            rhs_env=True,
        ),
    )
    a = w.add(
        "slack::send_message",
        [("channel", "#stock"), ("message", "{{productVariant.sku}} went down")],
    )
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("integer_step_ids.flow", "Integer step ids", ids="int")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, ">=", "250", S + "Money"))
    a = w.add(A + "add_order_tags", order_tags("250-plus"))
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("integer_step_ids_large_and_zero.flow", "Integer ids incl. zero")
    t = w.add(A + "order_paid", sid=0)
    a = w.add(A + "add_order_tags", order_tags("paid"), sid=9007199254740993)
    w.chain(t, a)
    emit(w)

    w = W("ulid_step_ids.flow", "ULID ids", ids="ulid")
    t = w.add(A + "order_fulfilled")
    a = w.add(A + "archive_order", [("order_id", "order.id")])
    w.chain(t, a)
    emit(w)

    w = W("arbitrary_string_step_ids.flow", "Human step ids")
    t = w.add(A + "order_cancelled", sid="trigger")
    a = w.add(A + "add_order_tags", order_tags("cancelled"), sid="tag it")
    b = w.add(
        F + "send_email",
        [("address", "a@example.com"), ("subject", "x"), ("message", "y")],
        sid="émail-步",
    )
    w.chain(t, a, b)
    emit(w)

    w = W("float_and_negative_positions.flow", "Float positions")
    t = w.add(A + "order_created", pos=[-120.5, -80.25])
    a = w.add(A + "add_order_tags", order_tags("x"), pos=[1e-05, 199.99999999999997])
    b = w.add(A + "archive_order", [("order_id", "order.id")], pos=[-0.0, 1.5e20])
    w.chain(t, a, b)
    emit(w)

    w = W("absent_vertical_layout.flow", "Older export without vertical layout")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", order_tags("legacy"))
    w.chain(t, a)
    emit(w, vertical=ABSENT)

    w = W("vertical_layout_false.flow", "Horizontal layout")
    t = w.add(A + "order_created", pos=[0, 0])
    a = w.add(A + "add_order_tags", order_tags("h"), pos=[300, 0])
    w.chain(t, a)
    emit(w, vertical=False)

    w = W("absent_step_description_note_name.flow", "Steps without optional keys")
    t = w.add(A + "order_created", description=ABSENT, note=ABSENT, name=ABSENT)
    a = w.add(A + "add_order_tags", order_tags("a"), description=ABSENT, note=None, name=ABSENT)
    w.chain(t, a)
    emit(w)

    w = W("step_description_note_name_set.flow", "Named steps")
    t = w.add(
        A + "order_created", description="When an order comes in", note="Set by ops", name="Start"
    )
    a = w.add(
        A + "add_order_tags",
        order_tags("named"),
        description="",
        note="Line one\nLine two",
        name="Tag",
    )
    w.chain(t, a)
    emit(w, note="Workflow note: keep in sync with the ERP")

    w = W("unicode_names_and_values.flow", "Étiqueter les commandes 🇫🇷 — 注文にタグ")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp("order.shippingAddress.city", "==", "Zürich", S + "String"))
    a = w.add(A + "add_order_tags", order_tags("schweiz-🇨🇭", "größe", "東京"))
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w, note="Ünïcödé note ✓")

    w = W("escapes_in_strings.flow", 'Quotes "and" back\\slashes')
    t = w.add(A + "order_created")
    e = w.add(
        F + "send_email",
        [
            ("address", "ops@example.com"),
            ("subject", 'Order "{{order.name}}" \\ backslash\ttab'),
            ("message", "Line 1\nLine 2\r\nLine 3 \u2028 sep \u0001 ctl </script>"),
        ],
    )
    w.chain(t, e)
    emit(w)

    w = W("empty_strings_and_whitespace.flow", "   ")
    t = w.add(A + "order_created")
    e = w.add(
        A + "update_order_note", [("order_id", "order.id"), ("note", " "), ("append", "false")]
    )
    w.chain(t, e)
    emit(w, note="")

    w = W("patched_fields_metafields.flow", "Patched metafields")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp("order.giftWrap", "==", "true", S + "Boolean"))
    a = w.add(A + "add_order_tags", order_tags("gift-wrap"))
    w.chain(t, c)
    w.link(c, a, "true")
    emit(
        w,
        patched=[
            {
                "field": "metafield",
                "arguments": {"key": "gift_wrap", "namespace": "custom"},
                "handle": "giftWrap",
                "patched_type": "ORDER",
                "merchant_configured": True,
            },
            {
                "field": "metafield",
                "arguments": {"key": "tier", "namespace": "loyalty"},
                "handle": "loyaltyTier",
                "patched_type": "CUSTOMER",
                "merchant_configured": False,
            },
        ],
    )

    w = W("variables_opaque.flow", "Variables kept as they are")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", order_tags("v"))
    w.chain(t, a)
    emit(
        w,
        variables=[
            {"name": "threshold", "type": "Decimal", "value": "500.00"},
            {"nested": {"list": [1, 2.5, None, True, "x"]}, "ünï": "çødé"},
        ],
    )

    w = W("third_party_slack_and_sheets.flow", "Slack and Sheets on paid orders")
    t = w.add(A + "order_paid")
    s = w.add(
        "slack::send_message",
        [
            ("channel", "#sales"),
            ("message", "{{order.name}}: {{order.totalPriceSet.shopMoney.amount}}"),
        ],
    )
    g = w.add(
        "google_sheets::add_row",
        [
            ("spreadsheet_id", "1AbC"),
            ("sheet_name", "Orders"),
            ("row", tags("{{order.name}}", "{{order.createdAt}}", "{{order.email}}")),
        ],
    )
    w.link(t, s)
    w.link(t, g)
    emit(w)

    w = W("third_party_email_app.flow", "Email app welcome")
    t = w.add(A + "customer_created")
    a = w.add(
        "email_marketing::add_subscriber_to_list",
        [("email", "{{customer.email}}"), ("list_id", "welcome")],
    )
    b = w.add(
        "email_marketing::send_transactional_email",
        [
            ("to", "{{customer.email}}"),
            ("template_id", "welcome-1"),
            ("variables", '{"first_name":"{{customer.firstName}}"}'),
        ],
    )
    w.chain(t, a, b)
    emit(w)

    w = W("foreach_with_after.flow", "For each line item, then tag")
    t = w.add(A + "order_created")
    f = w.add(F + "foreach", [("listpath", "order.lineItems")])
    c = cond_step(
        w, lambda c: c.cmp("lineItemsForeachitem.sku", "starts_with?", "PRE-", S + "String")
    )
    a = w.add(A + "add_order_tags", order_tags("preorder"))
    after = w.add(A + "add_order_tags", order_tags("checked-items"))
    w.chain(t, f)
    w.link(f, c, "loop_body")
    w.link(c, a, "true")
    w.link(f, after, "after")
    emit(w)

    w = W("foreach_product_variants.flow", "Price check on all variants")
    t = w.add(A + "product_created")
    f = w.add(F + "foreach", [("listpath", "product.variants")])
    c = cond_step(w, lambda c: c.cmp("variantsForeachitem.price", "<", "1", S + "Money"))
    e = w.add(
        F + "send_email",
        [
            ("address", "catalog@example.com"),
            ("subject", "Suspicious price"),
            ("message", "{{variantsForeachitem.sku}}"),
        ],
    )
    w.chain(t, f)
    w.link(f, c, "loop_body")
    w.link(c, e, "true")
    emit(w)

    w = W("get_data_then_foreach_then_sum.flow", "Sum of recent orders")
    t = w.add(
        F + "scheduled_time",
        [
            (
                "recurrence",
                json.dumps(["DTSTART;TZID=UTC:20260101T000000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1"]),
            )
        ],
    )
    g = w.add(F + "fetch::orders", [("query", "created_at:>-30d"), ("max_root_records", "100")])
    s = w.add(
        F + "sum", [("listpath", "getOrderData"), ("value_path", "totalPriceSet.shopMoney.amount")]
    )
    n = w.add(F + "count", [("listpath", "getOrderData")])
    c = cond_step(w, lambda c: c.cmp("sum", ">", "10000", S + "Decimal"))
    e = w.add(
        F + "send_email",
        [
            ("address", "ceo@example.com"),
            ("subject", "Big month"),
            ("message", "{{count}} orders, {{sum}} total"),
        ],
    )
    w.chain(t, g, s, n, c)
    w.link(c, e, "true")
    emit(w)

    w = W("two_get_data_steps_numbered.flow", "Two order lookups")
    t = w.add(
        F + "scheduled_time",
        [("recurrence", json.dumps(["DTSTART;TZID=UTC:20260105T060000\nRRULE:FREQ=DAILY"]))],
    )
    g1 = w.add(
        F + "fetch::orders", [("query", "financial_status:pending"), ("max_root_records", "10")]
    )
    g2 = w.add(F + "fetch::orders", [("query", "risk_level:high"), ("max_root_records", "10")])
    f = w.add(F + "foreach", [("listpath", "getOrderData1")])
    a = w.add(
        A + "add_order_tags",
        [("order_id", "getOrderData1Foreachitem.id"), ("tags", tags("review"))],
    )
    w.chain(t, g1, g2, f)
    w.link(f, a, "loop_body")
    emit(w)

    w = W("run_code_then_condition.flow", "Run code to score an order")
    t = w.add(A + "order_created")
    r = w.add(
        F + "run_code",
        [
            ("input", "query { order { lineItems { quantity sku } } }"),
            (
                "script",
                "export default function main(input) {\n  const n = input.order.lineItems"
                ".reduce((a, l) => a + l.quantity, 0);\n  return { bulky: n > 20 };\n}",
            ),
            ("output_schema", "type Output { bulky: Boolean! }"),
        ],
    )
    c = cond_step(w, lambda c: c.cmp("runCode.bulky", "==", "true", S + "Boolean"))
    a = w.add(A + "add_order_tags", order_tags("bulky"))
    w.chain(t, r, c)
    w.link(c, a, "true")
    emit(w)

    w = W("admin_api_request.flow", "Send Admin API request")
    t = w.add(A + "order_created")
    r = w.add(
        A + "admin_api_operation",
        [
            (
                "api_call",
                json.dumps(
                    {
                        "name": "orderUpdate",
                        "blob": json.dumps(
                            {"input": {"id": "{{order.id}}", "poNumber": "PO-{{order.name}}"}}
                        ),
                    }
                ),
            )
        ],
    )
    lg = w.add(F + "log_output", [("message", "{{sendAdminApiRequest}}")])
    w.chain(t, r, lg)
    emit(w)

    w = W("analytics_shopifyql_weekly.flow", "Weekly sales report")
    t = w.add(
        F + "scheduled_time",
        [
            (
                "recurrence",
                json.dumps(["DTSTART;TZID=UTC:20260105T070000\nRRULE:FREQ=WEEKLY;BYDAY=MO"]),
            )
        ],
    )
    q = w.add(
        F + "execute_shopifyql",
        [("query", "FROM sales SHOW total_sales GROUP BY day SINCE -7d UNTIL today")],
    )
    e = w.add(
        F + "send_email",
        [
            ("address", "team@example.com"),
            ("subject", "Weekly sales"),
            ("message", "{{getAnalyticsData.tableData}}"),
        ],
    )
    w.chain(t, q, e)
    emit(w)

    w = W("waits_in_sequence_90_days.flow", "Exactly 90 days of waiting")
    t = w.add(A + "customer_created")
    w1 = w.add(F + "wait", [("wait_duration", "P30D")])
    w2 = w.add(F + "wait", [("wait_duration", "P8W4D")])
    w3 = w.add(F + "wait", [("wait_duration", "PT0S")])
    a = w.add(A + "add_customer_tags", [("customer_id", "customer.id"), ("tags", tags("90-days"))])
    w.chain(t, w1, w2, w3, a)
    emit(w)

    w = W("waits_on_parallel_branches.flow", "Waits on two branches")
    t = w.add(A + "order_created")
    w1 = w.add(F + "wait", [("wait_duration", "P60D")])
    w2 = w.add(F + "wait", [("wait_duration", "P60D")])
    a = w.add(A + "add_order_tags", order_tags("60"))
    b = w.add(A + "add_order_tags", order_tags("60b"))
    w.link(t, w1)
    w.link(t, w2)
    w.link(w1, a)
    w.link(w2, b)
    emit(w)

    w = W("trigger_not_first_in_steps.flow", "Trigger listed last")
    a = w.add(A + "add_order_tags", order_tags("late"))
    t = w.add(A + "order_created")
    w.link(t, a)
    emit(w)

    w = W("links_listed_in_reverse.flow", "Links out of order")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp("order.email", "not_empty_and_not_nil?", None, S + "String"))
    a = w.add(A + "add_order_tags", order_tags("has-email"))
    w.link(c, a, "true")
    w.link(t, c)
    emit(w)

    w = W("trigger_only.flow", "Just a trigger")
    w.add(A + "order_created")
    emit(w)

    w = W("third_party_trigger_loyalty.flow", "Points changed")
    t = w.add("loyalty_rewards::points_balance_changed", type="TRIGGER")
    c = cond_step(w, lambda c: c.cmp("pointsBalance", ">", "1000", S + "Int"))
    a = w.add(
        "loyalty_rewards::change_vip_tier",
        [("customer_id", "customer.id"), ("tier_name", "Gold")],
    )
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("draft_order_tags.flow", "Tag wholesale drafts")
    t = w.add(A + "draft_order_created")
    c = cond_step(
        w, lambda c: c.cmp("draftOrder.customer.tags", "include?", "wholesale", S + "String")
    )
    a = w.add(
        A + "add_draft_order_tags",
        [("draft_order_id", "draftOrder.id"), ("tags", tags("wholesale"))],
    )
    w.chain(t, c)
    w.link(c, a, "true")
    emit(w)

    w = W("customer_created_customer_level_actions.flow", "Welcome new customers")
    t = w.add(A + "customer_created")
    a = w.add(A + "add_customer_tags", [("customer_id", "customer.id"), ("tags", tags("new"))])
    m = w.add(
        A + "update_customer_metafield",
        [
            ("customer_id", "customer.id"),
            ("namespace", "custom"),
            ("key", "source"),
            ("value", "flow"),
            ("type", "single_line_text_field"),
        ],
    )
    s = w.add(
        A + "update_shop_metafield",
        [
            ("namespace", "stats"),
            ("key", "last_signup"),
            ("value", "{{customer.email}}"),
            ("type", "single_line_text_field"),
        ],
    )
    r = w.add(
        A + "created_redirect_url",
        [("path", "/welcome-{{customer.id}}"), ("target", "/pages/welcome")],
    )
    w.link(t, a)
    w.link(t, m)
    w.link(t, s)
    w.link(t, r)
    emit(w)


# --- one file per condition operator ---------------------------------------------------------

OPERATOR_CASES = [
    ("eq", "==", "order.email", "a@example.com", S + "String"),
    ("ne", "!=", "order.sourceName", "pos", S + "String"),
    ("gt", ">", TOTAL, "99.99", S + "Money"),
    ("ge", ">=", "order.totalWeight", "1000", S + "Int"),
    ("lt", "<", "order.totalDiscountsSet.shopMoney.amount", "0.5", S + "Money"),
    ("le", "<=", "order.currentSubtotalLineItemsQuantity", "3", S + "Int"),
    ("starts_with", "starts_with?", "order.name", "#10", S + "String"),
    ("ends_with", "ends_with?", "order.email", ".de", S + "String"),
    ("include", "include?", "order.tags", "vip", S + "String"),
    ("not_include", "not_include?", "order.discountCodes", "STAFF", S + "String"),
    ("in", "in?", "order.shippingAddress.provinceCode", "CA,NY,TX", S + "String"),
    (
        "not_in",
        "not_in?",
        "order.displayFinancialStatus",
        "REFUNDED,VOIDED",
        E + "OrderDisplayFinancialStatus",
    ),
    ("nil", "nil?", "order.note", None, S + "String"),
    ("not_nil", "not_nil?", "order.phone", None, S + "String"),
    ("empty_or_nil", "empty_or_nil?", "order.discountCodes", None, S + "String"),
    ("not_empty_and_not_nil", "not_empty_and_not_nil?", "order.customer.email", None, S + "String"),
    ("bool_eq", "==", "order.fullyPaid", "false", S + "Boolean"),
    ("datetime_gt", ">", "order.createdAt", "2026-01-01T00:00:00Z", S + "DateTime"),
    (
        "enum_ne",
        "!=",
        "order.displayFulfillmentStatus",
        "FULFILLED",
        E + "OrderDisplayFulfillmentStatus",
    ),
    ("negative_decimal", ">", "order.totalTaxSet.shopMoney.amount", "-0.01", S + "Money"),
]


def operators() -> None:
    for slug, op, path, value, vt in OPERATOR_CASES:
        w = W(f"condition_operator_{slug}.flow", f"Operator {op}")
        t = w.add(A + "order_created")
        c = cond_step(w, lambda c, path=path, op=op, value=value, vt=vt: c.cmp(path, op, value, vt))
        a = w.add(A + "add_order_tags", order_tags(f"op-{slug}"))
        w.chain(t, c)
        w.link(c, a, "true")
        emit(w)


# --- trigger and action pairs (context that is valid) ----------------------------------------

PAIRS = [
    ("order_cancelled", A + "add_order_tags", order_tags("cancelled")),
    ("order_fulfilled", A + "send_order_invoice", [("order_id", "order.id")]),
    (
        "order_transaction_created",
        A + "update_order_note",
        [("order_id", "order.id"), ("note", "{{orderTransaction.gateway}}")],
    ),
    (
        "customer_joined_segment",
        A + "add_customer_tags",
        [("customer_id", "customer.id"), ("tags", tags("{{segment.name}}"))],
    ),
    (
        "customer_subscribed_to_email_marketing",
        A + "add_customer_tags",
        [("customer_id", "customer.id"), ("tags", tags("newsletter"))],
    ),
    (
        "product_created",
        A + "add_product_to_collections",
        [("product_id", "product.id"), ("collection_ids", tags("gid://shopify/Collection/1"))],
    ),
    (
        "product_variant_out_of_stock",
        A + "delete_product_variant",
        [("variant_id", "productVariant.id")],
    ),
    (
        "product_variant_back_in_stock",
        A + "update_product_status",
        [("product_id", "product.id"), ("status", "ACTIVE")],
    ),
    (
        "fulfillment_order_placed_on_hold",
        A + "release_fulfillment_order_hold",
        [("fulfillment_order_id", "fulfillmentOrder.id")],
    ),
    (
        "fulfillment_order_ready_to_fulfill",
        A + "fulfillment_order_submit_fulfillment_request",
        [("fulfillment_order_id", "fulfillmentOrder.id"), ("notify_customer", "true")],
    ),
    (
        "fulfillment_order_ready_to_fulfill",
        A + "add_order_tags",
        [("order_id", "fulfillmentOrder.order.id"), ("tags", tags("ready"))],
    ),
    (
        "fulfillment_created",
        A + "update_fulfillment_tracking",
        [
            ("fulfillment_id", "fulfillment.id"),
            ("tracking_number", "1Z999"),
            ("tracking_company", "UPS"),
        ],
    ),
    (
        "refund_created",
        A + "add_customer_tags",
        [("customer_id", "order.customer.id"), ("tags", tags("refunded"))],
    ),
    (
        "return_requested",
        A + "approve_return_request",
        [("return_id", "return.id"), ("notify_customer", "true")],
    ),
    (
        "return_requested",
        A + "add_order_tags",
        [("order_id", "return.order.id"), ("tags", tags("return-requested"))],
    ),
    (
        "dispute_created",
        A + "add_order_tags",
        [("order_id", "dispute.order.id"), ("tags", tags("chargeback"))],
    ),
    (
        "subscription_contract_created",
        A + "add_customer_tags",
        [("customer_id", "subscriptionContract.customer.id"), ("tags", tags("subscriber"))],
    ),
    (
        "collection_created",
        A + "update_collection_metafield",
        [
            ("collection_id", "collection.id"),
            ("namespace", "seo"),
            ("key", "hidden"),
            ("value", "1"),
            ("type", "number_integer"),
        ],
    ),
    (
        "order_deleted",
        F + "send_email",
        [
            ("address", "audit@example.com"),
            ("subject", "Order deleted"),
            ("message", "{{orderId}}"),
        ],
    ),
    (
        "order_paid",
        "hubspot::create_or_update_contact",
        [("email", "{{order.email}}"), ("first_name", "{{order.customer.firstName}}")],
    ),
    (
        "order_created",
        "twilio::send_sms",
        [("to", "+15555550100"), ("body", "New order {{order.name}}")],
    ),
    (
        "order_created",
        A + "add_order_line_item",
        [
            ("order_id", "order.id"),
            ("variant_id", "gid://shopify/ProductVariant/7"),
            ("quantity", "1"),
            ("notify_customer", "false"),
        ],
    ),
]


def pairs() -> None:
    for i, (trig, action, config) in enumerate(PAIRS):
        short = action.split("::")[-1]
        w = W(f"context_{trig}_then_{short}.flow", f"{trig} -> {short}")
        t = w.add(A + trig)
        a = w.add(action, config)
        w.chain(t, a)
        emit(w)
        del i


# --- get data families ----------------------------------------------------------------------

GET_DATA = [
    ("orders", "getOrderData", A + "add_order_tags", "order_id", "tag:review"),
    ("customers", "getCustomerData", A + "add_customer_tags", "customer_id", "tag:vip"),
    ("products", "getProductData", A + "add_product_tags", "product_id", "status:draft"),
    (
        "product_variants",
        "getProductVariantData",
        A + "update_product_variant_price",
        "variant_id",
        "sku:OLD-*",
    ),
    (
        "draft_orders",
        "getDraftOrderData",
        A + "add_draft_order_tags",
        "draft_order_id",
        "status:open",
    ),
    (
        "fulfillment_orders",
        "getFulfillmentOrderData",
        A + "release_fulfillment_order_hold",
        "fulfillment_order_id",
        "status:on_hold",
    ),
    (
        "collections",
        "getCollectionData",
        A + "update_collection_metafield",
        "collection_id",
        "title:Sale*",
    ),
    ("discounts", "getDiscountData", A + "deactivate_discount", "discount_id", "status:active"),
    ("companies", "getCompanyData", A + "update_company_metafield", "company_id", ""),
]


def get_data() -> None:
    for plural, scope, action, id_field, query in GET_DATA:
        w = W(f"get_data_{plural}_foreach.flow", f"Get {plural} and loop")
        t = w.add(
            F + "scheduled_time",
            [
                (
                    "recurrence",
                    json.dumps(["DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=HOURLY;INTERVAL=6"]),
                )
            ],
        )
        cfg = (
            [("query", query), ("max_root_records", "25")]
            if query
            else [("max_root_records", "25")]
        )
        g = w.add(F + f"fetch::{plural}", cfg)
        f = w.add(F + "foreach", [("listpath", scope)])
        extra: list[tuple[str, str]] = []
        if "tags" in action:
            extra = [("tags", tags("batch"))]
        elif "metafield" in action:
            extra = [("namespace", "flow"), ("key", "seen"), ("value", "true"), ("type", "boolean")]
        elif "price" in action:
            extra = [("price", "9.99")]
        a = w.add(action, [(id_field, scope + "Foreachitem.id"), *extra])
        w.chain(t, g, f)
        w.link(f, a, "loop_body")
        emit(w)

    w = W("get_data_metaobjects_count.flow", "Count metaobject entries")
    t = w.add(A + "order_created")
    g = w.add(F + "fetch::metaobjects", [("type", "store_location"), ("max_root_records", "0")])
    n = w.add(F + "count", [("listpath", "getMetaobjectEntries")])
    lg = w.add(F + "log_output", [("message", "{{count}} locations")])
    w.chain(t, g, n, lg)
    emit(w)


# --- recurrences and waits -------------------------------------------------------------------

RECURRENCES = [
    ("every_15_minutes", ["DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=MINUTELY;INTERVAL=15"]),
    (
        "every_10_minutes_boundary",
        ["DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=MINUTELY;INTERVAL=10"],
    ),
    ("hourly_on_the_half_hour", ["DTSTART;TZID=Europe/Berlin:20260105T003000\nRRULE:FREQ=HOURLY"]),
    (
        "two_rules",
        [
            "DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=DAILY",
            "DTSTART;TZID=UTC:20260105T170000\nRRULE:FREQ=DAILY",
        ],
    ),
    ("weekdays", ["DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
]

WAITS = ["PT10M", "PT1H30M", "P1W", "P1DT12H", "PT0S", "P89DT23H59M59S"]


def schedules_and_waits() -> None:
    for slug, rec in RECURRENCES:
        w = W(f"scheduled_{slug}.flow", f"Scheduled {slug}")
        t = w.add(F + "scheduled_time", [("recurrence", json.dumps(rec))])
        lg = w.add(F + "log_output", [("message", "tick {{scheduledAt}}")])
        w.chain(t, lg)
        emit(w)
    for d in WAITS:
        w = W(f"wait_{d.lower()}.flow", f"Wait {d}")
        t = w.add(A + "order_created")
        wt = w.add(F + "wait", [("wait_duration", d)])
        a = w.add(A + "add_order_tags", order_tags(f"waited-{d}"))
        w.chain(t, wt, a)
        emit(w)


# --- tasks as real exports use them (catalog-facts.md) -----------------------------------------


def real_exports() -> None:
    w = W("multi_version_order_metafield.flow", "Two versions of Update order metafield")
    t = w.add(A + "order_created")
    old = w.add(
        A + "add_order_metafield",
        [
            ("order_id", "order.id"),
            ("namespace", "custom"),
            ("key", "ship_by"),
            ("value", "{{ order.createdAt | date: '%Y-%m-%d' }}"),
            ("value_type", "date"),
        ],
        version="0.1",
    )
    new = w.add(
        A + "add_order_metafield",
        [
            ("order_id", '{"value":"","default_value":"order.id"}'),
            ("metafield", '{"namespace":"custom","key":"channel","type":"single_line_text_field"}'),
            ("value", "{{order.sourceName}}"),
        ],
    )
    w.chain(t, old, new)
    emit(w)

    w = W("resource_ids_paths_and_defaults.flow", "Resource ids as the platform writes them")
    t = w.add(A + "order_created")
    f = w.add(F + "foreach", [("listpath", "order.fulfillmentOrders")])
    s = w.add(
        A + "fulfillment_order_submit_fulfillment_request",
        [
            ("fulfillment_order_id", "fulfillmentOrdersForeachitem.id"),
            ("message", "Ship {{order.name}}"),
            ("notify_customer", "false"),
        ],
    )
    a = w.add(
        A + "add_order_tags",
        [("order_id", '{"value":"","default_value":"order.id"}'), ("tags", tags("sent"))],
    )
    # Not in the compact default form: a chosen value, and spaces after the separators.
    b = w.add(
        A + "add_order_tags",
        [("order_id", '{"value":"order.id","default_value":"order.id"}'), ("tags", tags("b"))],
    )
    c = w.add(
        A + "add_order_tags",
        [("order_id", '{"value": "", "default_value": "order.id"}'), ("tags", tags("c"))],
    )
    w.chain(t, f)
    w.link(f, s, "loop_body")
    w.link(f, a, "after")
    w.chain(a, b, c)
    emit(w)

    w = W("custom_app_uuid_trigger.flow", "Custom app trigger")
    t = w.add("2f6c1e9a-8d3b-4f7e-b5a1-0c9d8e7f6a5b", type="TRIGGER", version="draft")
    x = w.add(
        "acme_chat::post_message",
        [("channel", "#orders"), ("text", "{{ order.name }} from the app")],
        type="ACTION",
    )
    a = w.add(A + "add_order_tags", order_tags("from-app"))
    e = w.add(
        F + "send_email",
        [("address", "ops@example.com"), ("subject", "App event"), ("message", "{{order.name}}")],
    )
    w.chain(t, x, a, e)
    emit(w)

    w = W("send_http_v2_and_redirect.flow", "Webhook and redirect for archived products")
    t = w.add(A + "product_status_updated")
    h = w.add(
        F + "send_http",
        [
            ("method", "POST"),
            ("url", "https://hooks.example.com/products"),
            ("headers", '[["Content-Type","application/json"]]'),
            ("body", '{"id":"{{product.id}}"}'),
            ("on_client_error", "fail"),
            ("on_server_error", "retry"),
        ],
    )
    r = w.add(
        A + "created_redirect_url",
        [
            ("path", "/products/{{product.handle}}"),
            ("target", "/collections/all"),
            ("overwrite_target", "true"),
        ],
    )
    w.chain(t, h, r)
    emit(w)


# --- invalid workflows, each with the errors it must produce ---------------------------------


def invalid() -> None:
    cfe, ce, fbe, te = "configFieldErrors", "conditionErrors", "foreachBodyErrors", "taskErrors"

    w = W("unknown_third_party_task.flow", "Unknown task")
    t = w.add(A + "order_created")
    # A task the catalog does not know is a warning, not an error (a third-party app's action).
    a = w.add("acme::teleport_parcel", [("where", "moon")], type="ACTION")
    w.chain(t, a)
    emit(w)

    w = W("invalid_unknown_task_version.flow", "Unknown version")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", order_tags("x"), version="9.9")
    w.chain(t, a)
    w.expect(te, a, None)
    emit(w)

    w = W("invalid_task_type_mismatch.flow", "Wrong task type")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", order_tags("x"), type="WAIT")
    w.chain(t, a)
    w.expect(te, a, None)
    emit(w)

    w = W("invalid_orphan_step.flow", "Orphan step")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", order_tags("linked"))
    o = w.add(A + "add_order_tags", order_tags("orphan"), pos=[400, 200])
    w.chain(t, a)
    w.expect(te, o, None)
    emit(w)

    w = W("invalid_context_customer_created_add_order_tags.flow", "Customer created, order tags")
    t = w.add(A + "customer_created")
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, a)
    w.expect(te, a, None)
    w.expect(cfe, a, "order_id")  # order.id names a scope name that is not in scope
    emit(w)

    w = W("invalid_context_get_data_on_one_branch.flow", "Order only on one branch")
    t = w.add(
        F + "scheduled_time",
        [("recurrence", json.dumps(["DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=DAILY"]))],
    )
    g = w.add(F + "fetch::orders", [("max_root_records", "5")])
    f = w.add(F + "foreach", [("listpath", "getOrderData")])
    a = w.add(
        A + "add_order_tags", [("order_id", "getOrderDataForeachitem.id"), ("tags", tags("x"))]
    )
    b = w.add(A + "add_order_tags", [("order_id", "order.id"), ("tags", tags("y"))])
    w.chain(t, g, f)
    w.link(f, a, "loop_body")
    w.link(f, b, "after")
    w.expect(te, b, None)
    w.expect(cfe, b, "order_id")
    emit(w)

    w = W("invalid_liquid_reads_name_not_in_scope.flow", "Email reads the order, none loaded")
    t = w.add(A + "customer_created")
    e = w.add(
        F + "send_email",
        [
            ("address", "crm@example.com"),
            ("subject", "New customer {{customer.email}}"),
            ("message", "{% for o in customer.orders %}{{ o.name }}{% endfor %} {{ order.name }}"),
        ],
    )
    w.chain(t, e)
    w.expect(cfe, e, "message")
    emit(w)

    w = W("invalid_foreach_body_wait.flow", "Wait inside a loop")
    t = w.add(A + "order_created")
    f = w.add(F + "foreach", [("listpath", "order.lineItems")])
    wt = w.add(F + "wait", [("wait_duration", "PT1H")])
    w.chain(t, f)
    w.link(f, wt, "loop_body")
    w.expect(fbe, wt, None)
    emit(w)

    w = W("invalid_foreach_nested.flow", "Loop in a loop")
    t = w.add(A + "order_created")
    f = w.add(F + "foreach", [("listpath", "order.lineItems")])
    f2 = w.add(F + "foreach", [("listpath", "lineItemsForeachitem.product.variants")])
    w.chain(t, f)
    w.link(f, f2, "loop_body")
    w.expect(fbe, f2, None)
    emit(w)

    w = W("invalid_foreach_body_get_data.flow", "Get data inside a loop")
    t = w.add(A + "order_created")
    f = w.add(F + "foreach", [("listpath", "order.lineItems")])
    g = w.add(F + "fetch::products", [("query", "sku:x"), ("max_root_records", "1")])
    w.chain(t, f)
    w.link(f, g, "loop_body")
    w.expect(fbe, g, None)
    emit(w)

    w = W("invalid_wait_91_days.flow", "91 days of waiting")
    t = w.add(A + "order_created")
    w1 = w.add(F + "wait", [("wait_duration", "P60D")])
    w2 = w.add(F + "wait", [("wait_duration", "P31D")])
    a = w.add(A + "add_order_tags", order_tags("late"))
    w.chain(t, w1, w2, a)
    w.expect(te, w2, "wait_duration")
    emit(w)

    w = W("invalid_recurrence_5_minutes.flow", "Every 5 minutes")
    t = w.add(
        F + "scheduled_time",
        [
            (
                "recurrence",
                json.dumps(["DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=MINUTELY;INTERVAL=5"]),
            )
        ],
    )
    lg = w.add(F + "log_output", [("message", "x")])
    w.chain(t, lg)
    w.expect(cfe, t, "recurrence")
    emit(w)

    w = W("invalid_recurrence_not_json.flow", "Recurrence not JSON")
    t = w.add(F + "scheduled_time", [("recurrence", "RRULE:FREQ=DAILY")])
    lg = w.add(F + "log_output", [("message", "x")])
    w.chain(t, lg)
    w.expect(cfe, t, "recurrence")
    emit(w)

    w = W("invalid_liquid_in_condition.flow", "Liquid in a condition")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, ">", "{{ shop.threshold }}", S + "Money"))
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_unknown_operator.flow", "Unknown operator")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp("order.email", "matches?", ".*", S + "String"))
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_unary_with_rhs.flow", "Unary operator with a right side")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp("order.note", "nil?", "x", S + "String"))
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_binary_without_rhs.flow", "Binary operator without right side")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, ">", None, S + "Money"))
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_condition_type_mismatch.flow", "Money compared as a string")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, "starts_with?", "1", S + "String"))
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_condition_bad_number_literal.flow", "Not a number")
    t = w.add(A + "order_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, ">", "five hundred", S + "Money"))
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_condition_bad_enum_literal.flow", "Not a risk level")
    t = w.add(A + "order_risk_analyzed")
    c = cond_step(w, lambda c: c.cmp("order.riskLevel", "==", "SEVERE", E + "OrderRiskLevel"))
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_condition_path_not_in_scope.flow", "Order path in a customer workflow")
    t = w.add(A + "customer_created")
    c = cond_step(w, lambda c: c.cmp(TOTAL, ">", "5", S + "Money"))
    a = w.add(A + "add_customer_tags", [("customer_id", "customer.id"), ("tags", tags("x"))])
    w.chain(t, c)
    w.link(c, a, "true")
    w.expect(ce, c, "condition")
    emit(w)

    w = W("invalid_missing_required_field.flow", "Tags missing")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", [("order_id", "order.id")])
    w.chain(t, a)
    w.expect(cfe, a, "tags")
    emit(w)

    w = W("invalid_unknown_config_field.flow", "Unknown field")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", [*order_tags("x"), ("colour", "red")])
    w.chain(t, a)
    w.expect(cfe, a, "colour")
    emit(w)

    w = W("invalid_duplicate_config_field.flow", "Field given twice")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", [*order_tags("x"), ("tags", tags("y"))])
    w.chain(t, a)
    w.expect(cfe, a, "tags")
    emit(w)

    w = W("invalid_boolean_capitalised.flow", "True is not true")
    t = w.add(A + "order_created")
    a = w.add(
        A + "cancel_order", [("order_id", "order.id"), ("reason", "OTHER"), ("restock", "True")]
    )
    w.chain(t, a)
    w.expect(cfe, a, "restock")
    emit(w)

    w = W("invalid_enum_value.flow", "Bad enum")
    t = w.add(A + "order_created")
    a = w.add(A + "cancel_order", [("order_id", "order.id"), ("reason", "because")])
    w.chain(t, a)
    w.expect(cfe, a, "reason")
    emit(w)

    w = W("invalid_string_list_not_json.flow", "Tags not a JSON list")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", [("order_id", "order.id"), ("tags", "vip, gold")])
    w.chain(t, a)
    w.expect(cfe, a, "tags")
    emit(w)

    w = W("invalid_number_field.flow", "Quantity not a number")
    t = w.add(A + "order_created")
    a = w.add(
        A + "add_order_line_item",
        [("order_id", "order.id"), ("variant_id", "v"), ("quantity", "two")],
    )
    w.chain(t, a)
    w.expect(cfe, a, "quantity")
    emit(w)

    w = W("invalid_get_data_over_100.flow", "Get 250 orders")
    t = w.add(A + "order_created")
    g = w.add(F + "fetch::orders", [("max_root_records", "250")])
    w.chain(t, g)
    w.expect(cfe, g, "max_root_records")
    emit(w)

    w = W("invalid_duration.flow", "Wait for a while")
    t = w.add(A + "order_created")
    wt = w.add(F + "wait", [("wait_duration", "7 days")])
    w.chain(t, wt)
    w.expect(cfe, wt, "wait_duration")
    emit(w)

    w = W("invalid_json_field.flow", "Headers not JSON")
    t = w.add(A + "order_created")
    h = w.add(
        F + "send_http",
        [("method", "GET"), ("url", "https://x.example"), ("headers", "{Content-Type: json")],
    )
    w.chain(t, h)
    w.expect(cfe, h, "headers")
    emit(w)

    w = W("invalid_wrong_port_name.flow", "Action linked from port true")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", order_tags("x"))
    b = w.add(A + "archive_order", [("order_id", "order.id")])
    w.chain(t, a)
    w.link(a, b, "true")
    w.expect(te, a, None)
    emit(w)

    w = W("invalid_to_port_not_input.flow", "Link into a non-input port")
    t = w.add(A + "order_created")
    a = w.add(A + "add_order_tags", order_tags("x"))
    w.link(t, a, "output", "in")
    w.expect(te, a, None)
    emit(w)

    w = W("invalid_foreach_listpath_not_list.flow", "Loop over a scalar")
    t = w.add(A + "order_created")
    f = w.add(F + "foreach", [("listpath", "order.email")])
    lg = w.add(F + "log_output", [("message", "x")])
    w.chain(t, f)
    w.link(f, lg, "loop_body")
    w.expect(cfe, f, "listpath")
    emit(w)


def build() -> dict[str, bytes]:
    """Every corpus file's name and bytes, expected_errors.json included."""
    OUT.clear()
    realistic()
    constructs()
    operators()
    pairs()
    get_data()
    schedules_and_waits()
    real_exports()
    invalid()
    files: dict[str, bytes] = {}
    expected = {}
    for name, (doc, errors) in sorted(OUT.items()):
        payload = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        files[name] = f"{digest}:{payload}".encode()
        if errors:
            expected[name] = sorted(errors, key=lambda e: json.dumps(e))
    files["expected_errors.json"] = (
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    ).encode()
    return files


def main() -> int:
    files = build()
    for old in HERE.glob("*.flow"):
        old.unlink()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files) - 1} .flow files to {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
