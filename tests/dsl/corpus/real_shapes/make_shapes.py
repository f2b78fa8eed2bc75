"""Generate the real-shapes corpus: the export shapes of flow-format.md marked "real exports".

Run `python tests/dsl/corpus/real_shapes/make_shapes.py` from the repository root. Written by
hand from the contract (not copied from any export): an older export's prefix that is not the
SHA-256 of its payload, a bare payload with no prefix, a new-style matching prefix; roots
without `variables`, `note` or `vertical_layout_enabled`; the editor's one-operand Logical
wrapper (no `rhs` key) at the root and inside array operations; array paths and item keys as
operand objects; EnvironmentValue operands without `full_environment_path`; patched fields in
their real key order with `arguments` as JSON text; opaque variables; task versions that are
not numbers (a task in two versions among them); integer and free-text step ids; a custom
app's trigger with a bare UUID task id.

Output is deterministic (ids are uuid5 of the file name and a counter). `expected.json` says,
per file, which envelope it has: "matching", "stale" or "none".
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMESPACE = uuid.UUID("3b0f1d52-7c1e-4e55-9a0c-5d1e2f3a4b6c")
A = "shopify::admin::"
F = "shopify::flow::"
S = "EnvironmentScalarDefinition:"


class Ids:
    """Deterministic uuids for one file."""

    def __init__(self, seed: str) -> None:
        self.seed, self.n = seed, 0

    def next(self) -> str:
        self.n += 1
        return str(uuid.uuid5(NAMESPACE, f"{self.seed}/{self.n}"))


class Tree:
    """Condition nodes in export key order, built top-down so children know their parent."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids

    def _head(self, parent: str | None) -> tuple[str, dict[str, Any]]:
        me = self.ids.next()
        node: dict[str, Any] = {"uuid": me}
        if parent is not None:
            node["parent_uuid"] = parent
        return me, node

    def env(self, parent: str, path: str, *, full: bool = True) -> dict[str, Any]:
        node = {
            "uuid": self.ids.next(),
            "parent_uuid": parent,
            "value": path,
            "comparison_value_type": "EnvironmentValue",
        }
        if full:
            node["full_environment_path"] = path
        return node

    def literal(self, parent: str, value: str) -> dict[str, Any]:
        return {
            "uuid": self.ids.next(),
            "parent_uuid": parent,
            "value": value,
            "comparison_value_type": "LiteralValue",
        }

    def cmp(self, parent: str | None, lhs: Any, op: str, rhs: Any, vt: str) -> dict[str, Any]:
        """lhs / rhs are callables taking this node's uuid (rhs may be None: unary)."""
        me, node = self._head(parent)
        node["lhs"] = lhs(me)
        node["rhs"] = None if rhs is None else rhs(me)
        node["value_type"] = vt
        node["operator"] = op
        node["operation_type"] = "Comparison"
        return node

    def wrap(self, parent: str | None, inner: Any) -> dict[str, Any]:
        """The editor's one-operand wrapper: a Logical AND with no `rhs` key."""
        me, node = self._head(parent)
        node["lhs"] = inner(me)
        node["operator"] = "AND"
        node["operation_type"] = "LogicalExpression"
        return node

    def logic(self, parent: str | None, op: str, lhs: Any, rhs: Any) -> dict[str, Any]:
        me, node = self._head(parent)
        node["lhs"] = lhs(me)
        node["rhs"] = rhs(me)
        node["operator"] = op
        node["operation_type"] = "LogicalExpression"
        return node

    def array(
        self, parent: str | None, path: str, item: str, op: str, inner: Any
    ) -> dict[str, Any]:
        """Path and item key as operand objects without full_environment_path."""
        me, node = self._head(parent)
        node["array_path"] = self.env(me, path, full=False)
        node["array_item_key"] = self.env(me, item, full=False)
        node["operation"] = inner(me)
        node["operator"] = op
        node["operation_type"] = "ArrayExpression"
        return node


class Doc:
    """One workflow under construction, keys in export order."""

    def __init__(self, file: str, name: str) -> None:
        self.file, self.name = file, name
        self.ids = Ids(file)
        self.tree = Tree(Ids(file + "#condition"))
        self.steps: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []

    def step(
        self,
        task_id: str,
        task_type: str,
        config: list[tuple[str, str]] | None = None,
        *,
        version: str = "0.1",
        sid: Any = None,
        meta: bool = True,
    ) -> Any:
        sid = self.ids.next() if sid is None else sid
        step: dict[str, Any] = {
            "step_id": sid,
            "step_position": [0, 220 * len(self.steps)],
            "config_field_values": [{"config_field_id": k, "value": v} for k, v in config or []],
            "task_id": task_id,
            "task_version": version,
            "task_type": task_type,
        }
        if meta:
            step.update(description=None, note=None, name=None)
        self.steps.append(step)
        return sid

    def condition(self, node: dict[str, Any]) -> Any:
        text = json.dumps(node, separators=(",", ":"), ensure_ascii=False)
        return self.step(F + "condition", "CONDITION", [("condition", text)])

    def link(self, a: Any, b: Any, port: str = "output") -> None:
        self.links.append(
            {"from_step_id": a, "from_port_id": port, "to_step_id": b, "to_port_id": "input"}
        )

    def document(self, root_extra: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
        values = {"steps": self.steps, "links": self.links, "workflow_name": self.name}
        values.update(root_extra)
        return {"__metadata": {"version": 0.1}, "root": {k: values[k] for k in order}}


OLD_ROOT = ("steps", "links", "patched_fields", "workflow_name")  # most 2024-2025 exports
FULL_ROOT = (
    "steps",
    "links",
    "patched_fields",
    "variables",
    "note",
    "vertical_layout_enabled",
    "workflow_name",
)
OUT: dict[str, tuple[dict[str, Any], str]] = {}


def emit(d: Doc, envelope: str, order: tuple[str, ...], **root: Any) -> None:
    assert d.file not in OUT, d.file
    OUT[d.file] = (d.document({"patched_fields": [], **root}, order), envelope)


def log(message: str) -> list[tuple[str, str]]:
    return [("message", message)]


def envelopes_and_roots() -> None:
    # Older export: the prefix is not the payload's SHA-256, the root has four keys, and the
    # editor wrapped the single comparison.
    d = Doc("stale_prefix_old_export.flow", "Log big orders (2024 export)")
    t = d.step(A + "order_created", "TRIGGER")
    c = d.condition(
        d.tree.wrap(
            None,
            lambda p: d.tree.cmp(
                p,
                lambda m: d.tree.env(m, "order.totalPriceSet.shopMoney.amount"),
                ">",
                lambda m: d.tree.literal(m, "250"),
                S + "Money",
            ),
        )
    )
    a = d.step(F + "log_output", "ACTION", log("Big order {{order.name}}"))
    d.link(t, c)
    d.link(c, a, "true")
    emit(d, "stale", OLD_ROOT)

    d = Doc("no_prefix_bare_payload.flow", "Log every paid order")
    t = d.step(A + "order_paid", "TRIGGER")
    a = d.step(F + "log_output", "ACTION", log("Paid: {{order.name}}"))
    d.link(t, a)
    emit(d, "none", OLD_ROOT)

    d = Doc("new_style_prefix_all_root_keys.flow", "Wait then log")
    t = d.step(A + "order_created", "TRIGGER")
    w = d.step(F + "wait", "WAIT", [("wait_duration", "PT1H")])
    a = d.step(F + "log_output", "ACTION", log("An hour after {{order.name}}"))
    d.link(t, w)
    d.link(w, a)
    emit(
        d,
        "matching",
        FULL_ROOT,
        variables=[],
        note="Exported in 2026",
        vertical_layout_enabled=False,
    )

    # Each optional root key absent on its own, the others present.
    for missing in ("variables", "note", "vertical_layout_enabled"):
        d = Doc(f"root_without_{missing}.flow", f"No {missing}")
        t = d.step(A + "customer_created", "TRIGGER", meta=missing != "note")
        a = d.step(F + "log_output", "ACTION", log("{{customer.email}}"))
        d.link(t, a)
        present = {"variables": [], "note": None, "vertical_layout_enabled": True}
        del present[missing]
        emit(d, "matching", tuple(k for k in FULL_ROOT if k != missing), **present)


def conditions() -> None:
    d = Doc("wrapped_unary_comparison.flow", "Customers without a phone")
    t = d.step(A + "customer_created", "TRIGGER")
    c = d.condition(
        d.tree.wrap(
            None,
            lambda p: d.tree.cmp(
                p, lambda m: d.tree.env(m, "customer.phone"), "nil?", None, S + "String"
            ),
        )
    )
    a = d.step(F + "log_output", "ACTION", log("No phone: {{customer.email}}"))
    d.link(t, c)
    d.link(c, a, "false")
    emit(d, "stale", OLD_ROOT)

    # Gift messages: ANY over custom attributes, operand-object path and key, and the wrapper
    # again inside the array's operation.
    d = Doc("array_operand_objects_wrapped.flow", "Orders with a gift message")
    t = d.step(A + "order_created", "TRIGGER")
    c = d.condition(
        d.tree.wrap(
            None,
            lambda p: d.tree.array(
                p,
                "order.customAttributes",
                "customAttributes_item",
                "ANY",
                lambda q: d.tree.wrap(
                    q,
                    lambda r: d.tree.cmp(
                        r,
                        lambda m: d.tree.env(m, "customAttributes_item.key"),
                        "==",
                        lambda m: d.tree.literal(m, "gift_message"),
                        S + "String",
                    ),
                ),
            ),
        )
    )
    a = d.step(A + "add_order_tags", "ACTION", [("order_id", "order.id"), ("tags", '["gift"]')])
    d.link(t, c)
    d.link(c, a, "true")
    emit(d, "stale", OLD_ROOT)

    # Nested arrays (collections of each line item's product) with NONE, ALL and AND.
    d = Doc("array_operand_objects_nested.flow", "Full-price shippable orders")
    t = d.step(A + "order_paid", "TRIGGER")
    c = d.condition(
        d.tree.logic(
            None,
            "AND",
            lambda p: d.tree.array(
                p,
                "order.lineItems",
                "lineItems_item",
                "ALL",
                lambda q: d.tree.array(
                    q,
                    "lineItems_item.product.collections",
                    "collections_item",
                    "NONE",
                    lambda r: d.tree.wrap(
                        r,
                        lambda s: d.tree.cmp(
                            s,
                            lambda m: d.tree.env(m, "collections_item.handle"),
                            "==",
                            lambda m: d.tree.literal(m, "clearance"),
                            S + "String",
                        ),
                    ),
                ),
            ),
            lambda p: d.tree.cmp(
                p,
                lambda m: d.tree.env(m, "order.requiresShipping"),
                "==",
                lambda m: d.tree.literal(m, "true"),
                S + "Boolean",
            ),
        )
    )
    a = d.step(F + "log_output", "ACTION", log("Full price: {{order.name}}"))
    d.link(t, c)
    d.link(c, a, "true")
    emit(d, "matching", FULL_ROOT, variables=[], note=None, vertical_layout_enabled=True)

    # A path compared with a path: neither operand has full_environment_path.
    d = Doc("env_operands_without_full_path.flow", "Orders shipped to the billing country")
    t = d.step(A + "fulfillment_order_ready_to_fulfill", "TRIGGER")
    c = d.condition(
        d.tree.wrap(
            None,
            lambda p: d.tree.cmp(
                p,
                lambda m: d.tree.env(m, "fulfillmentOrder.destination.countryCode", full=False),
                "==",
                lambda m: d.tree.env(
                    m, "fulfillmentOrder.order.billingAddress.countryCodeV2", full=False
                ),
                S + "String",
            ),
        )
    )
    a = d.step(F + "log_output", "ACTION", log("Domestic: {{fulfillmentOrder.id}}"))
    d.link(t, c)
    d.link(c, a, "true")
    emit(d, "none", OLD_ROOT)

    # One side with the full path, one without, and a non-String type carried by the first.
    d = Doc("env_operands_mixed_full_path.flow", "Stock went down")
    t = d.step(A + "product_variant_inventory_quantity_changed", "TRIGGER")
    c = d.condition(
        d.tree.wrap(
            None,
            lambda p: d.tree.cmp(
                p,
                lambda m: d.tree.env(m, "productVariant.inventoryQuantity"),
                "<",
                lambda m: d.tree.env(m, "inventoryQuantityPrior", full=False),
                S + "Int",
            ),
        )
    )
    a = d.step(F + "log_output", "ACTION", log("{{productVariant.sku}} went down"))
    d.link(t, c)
    d.link(c, a, "true")
    emit(d, "stale", OLD_ROOT)


def patched_variables_versions_ids() -> None:
    d = Doc("patched_fields_real_key_order.flow", "Gift wrap metafield")
    t = d.step(A + "order_created", "TRIGGER")
    a = d.step(F + "log_output", "ACTION", log("Gift wrap: {{order.giftWrap}}"))
    d.link(t, a)
    patched = [
        {
            "id": d.ids.next(),
            "handle": "giftWrap",
            "field": "metafield",
            "patched_type": "Order",
            "arguments": json.dumps(
                {"key": "gift_wrap", "namespace": "custom"}, separators=(",", ":")
            ),
            "merchant_configured": True,
        },
        {
            "id": d.ids.next(),
            "handle": "loyaltyTier",
            "field": "metafield",
            "patched_type": "Customer",
            "arguments": '{"key":"tier","namespace":"loyalty"}',
            "merchant_configured": False,
        },
    ]
    variables = [
        {"name": "threshold", "type": "Money", "value": "100.00"},
        {"name": "labels", "values": ["a", "b"], "nested": {"k": None}},
    ]
    OUT[d.file] = (
        d.document(
            {"patched_fields": patched, "variables": variables, "note": None},
            ("steps", "links", "patched_fields", "variables", "note", "workflow_name"),
        ),
        "stale",
    )

    # Versions that are text, as the tasks really have them (catalog-facts.md): Get order
    # data "v1", Send HTTP request "2.0", and Update order metafield in both of its versions
    # ("0.1" and "1.0", each with its own fields); integer step ids.
    d = Doc("task_versions_not_numbers.flow", "Versions as text")
    t = d.step(A + "order_created", "TRIGGER", sid=1)
    g = d.step(
        F + "fetch::orders",
        "ACTION",
        [("max_root_records", "10"), ("query", "status:open")],
        version="v1",
        sid=2,
    )
    h = d.step(
        F + "send_http",
        "ACTION",
        [("method", "POST"), ("url", "https://hooks.example.com/orders"), ("body", "{{order.id}}")],
        version="2.0",
        sid=3,
    )
    old = d.step(
        A + "add_order_metafield",
        "ACTION",
        [
            ("order_id", "order.id"),
            ("namespace", "custom"),
            ("key", "open_orders"),
            ("value", "{{getOrderData.size}}"),
            ("value_type", "number_integer"),
        ],
        version="0.1",
        sid=4,
    )
    new = d.step(
        A + "add_order_metafield",
        "ACTION",
        [
            ("order_id", '{"value":"","default_value":"order.id"}'),
            ("metafield", '{"namespace":"custom","key":"synced","type":"boolean"}'),
            ("value", "true"),
        ],
        version="1.0",
        sid=5,
    )
    d.link(t, g)
    d.link(g, h)
    d.link(h, old)
    d.link(old, new)
    emit(d, "stale", OLD_ROOT)

    # A custom app's trigger: a bare UUID as task id, an unpublished ("draft") version, and
    # free-text step ids.
    d = Doc("uuid_custom_trigger.flow", "Custom app trigger")
    t = d.step(
        "0b3f6a42-9c1d-4e7a-8f25-6d4c3b2a1e90",
        "TRIGGER",
        [("source", "storefront")],
        version="draft",
        sid="trigger",
    )
    a = d.step(F + "log_output", "ACTION", log("Custom event"), sid="log step")
    d.link(t, a)
    emit(d, "none", OLD_ROOT)


def build() -> dict[str, bytes]:
    """Every file's name and bytes, expected.json included."""
    OUT.clear()
    envelopes_and_roots()
    conditions()
    patched_variables_versions_ids()
    files: dict[str, bytes] = {}
    expected: dict[str, str] = {}
    for name, (doc, envelope) in sorted(OUT.items()):
        payload = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        if envelope == "stale":
            # What older exports carry: 64 hex digits that are not the payload's SHA-256.
            digest = hashlib.sha256(f"older export/{name}".encode()).hexdigest()
        text = payload if envelope == "none" else f"{digest}:{payload}"
        files[name] = text.encode("utf-8")
        expected[name] = envelope
    files["expected.json"] = (json.dumps(expected, indent=1) + "\n").encode()
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
