"""Workflow patterns merchants build, for the demo population: each one makes a real
platform-format workflow from parameters, and the requests a merchant would type for it.

Popularity is skewed on purpose (`weight`): a few patterns are very common, most are a long
tail, as in the field. `kinds` marks what makes a request hard for the agent: `email`
(a quarter of field failures) and `complex` (conditions with several clauses, lists, waits).
Task ids are the catalog's (`catalog-facts.md`); `tests/store/test_patterns.py` checks each
one, and its config fields, against `load_catalog()`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flowgen_core.store import flowbuild as fb
from flowgen_core.store.flowbuild import ArrayCond, Cmp, FlowBuilder, all_of, compact

CATEGORIES = (
    "buyer_experience",
    "customers",
    "inventory_and_merch",
    "loyalty",
    "orders",
    "promotions",
    "risk",
    "fulfillment",
    "b2b",
    "payment_reminders",
    "custom_data",
    "error_monitoring",
)

FIRST_NAMES = (
    "Maria", "James", "Aisha", "Chen", "Sofia", "Lukas", "Priya", "Mateo", "Emma", "Noah",
    "Olivia", "Liam", "Yuki", "Fatima", "Lars", "Chloe", "Diego", "Hannah", "Omar", "Grace",
    "Ines", "Kofi", "Anna", "Ravi", "Zoe", "Jonas", "Elena", "Marco", "Sara", "Tom",
)  # fmt: skip
LAST_NAMES = (
    "Lopez", "Smith", "Khan", "Wang", "Rossi", "Muller", "Patel", "Garcia", "Brown", "Nguyen",
    "Johansson", "Dubois", "Okafor", "Tanaka", "Silva", "Kowalski", "Murphy", "Cohen",
)  # fmt: skip
COUNTRIES = (
    ("CA", "Canada"), ("US", "the US"), ("GB", "the UK"), ("DE", "Germany"), ("FR", "France"),
    ("AU", "Australia"), ("NL", "the Netherlands"), ("JP", "Japan"), ("BR", "Brazil"),
    ("MX", "Mexico"), ("IE", "Ireland"), ("SE", "Sweden"),
)  # fmt: skip
ORDER_TAGS = ("vip", "high-value", "big-order", "priority", "review", "whale", "premium")
CUSTOMER_TAGS = ("vip", "repeat-buyer", "loyal", "gold", "lapsed", "intl", "new-signup")
DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com")


@dataclass(frozen=True)
class Persona:
    """The people behind a shop: who gets internal emails, who is on the phone."""

    owner: str  # "Maria Lopez"
    email: str  # the owner's address
    staff_email: str  # a second address (ops, support)
    phone: str  # as the merchant writes it
    store: str  # store handle, e.g. "lopez-goods"


def make_persona(rng: random.Random) -> Persona:
    """A shop owner with an address, a colleague's address and a phone number."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    store = f"{last.lower()}-{rng.choice(('goods', 'supply', 'studio', 'co', 'shop', 'home'))}"
    email = rng.choice(
        (
            f"{first.lower()}.{last.lower()}@{rng.choice(DOMAINS)}",
            f"{first.lower()}@{store}.com",
        )
    )
    staff = rng.choice(("ops", "orders", "support", "warehouse", "team"))
    area = rng.randint(201, 989)
    line = rng.randint(1000, 9999)
    phone = rng.choice(
        (
            f"+1 {area} 555 {line}",
            f"({area}) 555-{line}",
            f"+44 7700 900{rng.randint(100, 999)}",
            f"{area}-555-{line}",
        )
    )
    return Persona(f"{first} {last}", email, f"{staff}@{store}.com", phone, store)


def _token(rng: random.Random) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    body = "".join(rng.choice(alphabet) for _ in range(32))
    return rng.choice((f"shpat_{body}", f"sk_live_{body[:24]}", f"erp-{body}"))


# -- parameter helpers ---------------------------------------------------------------------
def _money(rng: random.Random) -> str:
    return str(rng.choice((100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000)))


def _tags(rng: random.Random, pool: tuple[str, ...]) -> list[str]:
    return rng.sample(pool, rng.choice((1, 1, 1, 2)))


# Resource ids are environment paths, as the platform writes them (never Liquid).
ORDER_ID = "order.id"


# -- the patterns ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    """A kind of workflow merchants build, with its parameters and its phrasings."""

    descriptor: str  # e.g. tag_high_value_orders (the workflow descriptor)
    category: str  # one of CATEGORIES
    weight: float  # relative popularity
    kinds: frozenset[str]  # subset of {"email", "complex"}
    params: Callable[[random.Random, Persona], dict[str, Any]]
    build: Callable[[FlowBuilder, dict[str, Any]], None]
    title: str  # workflow name and the merchant's name for it
    phrasings: tuple[str, ...]  # str.format templates over `slots(params)`
    vague: tuple[str, ...]  # phrasings that leave details out


def _b_tag_high_value(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_created", "TRIGGER")
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {
            "condition": fb.render_condition(
                Cmp("order.totalPriceSet.shopMoney.amount", ">=", p["threshold"], fb.MONEY), b.rng
            )
        },
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_order_tags",
        "ACTION",
        {"order_id": ORDER_ID, "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_tag_country(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_created", "TRIGGER")
    cond = Cmp("order.shippingAddress.countryCodeV2", "==", p["country"], fb.STRING)
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_order_tags",
        "ACTION",
        {"order_id": ORDER_ID, "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _email(subject: str, body: str, to: str) -> dict[str, str]:
    return {"address": to, "subject": subject, "message": body}


def _b_email_high_value(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_created", "TRIGGER")
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {
            "condition": fb.render_condition(
                Cmp("order.totalPriceSet.shopMoney.amount", ">=", p["threshold"], fb.MONEY), b.rng
            )
        },
        after=(t, "output"),
    )
    b.step(
        "shopify::flow::send_email",
        "ACTION",
        _email(
            "Big order {{order.name}}",
            f"Hi {p['name'].split()[0]}, order {{{{order.name}}}} is over {p['threshold']}: "
            "{{order.totalPriceSet.shopMoney.amount}}.",
            p["email"],
        ),
        after=(c, "true"),
    )


def _b_tag_risky(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_risk_analyzed", "TRIGGER")
    cond = Cmp("order.riskLevel", "==", p["risk"], fb.RISK)
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_order_tags",
        "ACTION",
        {"order_id": ORDER_ID, "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_cancel_risky(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_risk_analyzed", "TRIGGER")
    cond = Cmp("order.riskLevel", "==", "HIGH", fb.RISK)
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    blob = compact({"orderId": "{{order.id}}", "reason": "FRAUD", "restock": p["restock"]})
    b.step(
        "shopify::admin::admin_api_operation",
        "ACTION",
        {"api_call": compact({"name": "orderCancel", "blob": blob})},
        after=(c, "true"),
    )


def _b_capture_unless_risky(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_risk_analyzed", "TRIGGER")
    cond = Cmp("order.riskLevel", "==", "LOW", fb.RISK)
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step("shopify::admin::capture_payment", "ACTION", {"order_id": ORDER_ID}, after=(c, "true"))
    b.step(
        "shopify::admin::add_order_tags",
        "ACTION",
        {"order_id": ORDER_ID, "tags": compact(["manual-review"])},
        after=(c, "false"),
    )


def _b_low_stock(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::product_variant_inventory_quantity_changed", "TRIGGER")
    n = p["threshold"]
    cond = all_of(
        Cmp("productVariant.inventoryQuantity", "<", n, fb.INT),
        Cmp("inventoryQuantityPrior", ">=", n, fb.INT),
    )
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::flow::send_email",
        "ACTION",
        _email(
            "Low stock: {{product.title}}",
            "{{productVariant.sku}} is down to {{productVariant.inventoryQuantity}} units. "
            f"Call the supplier at {p['phone']}.",
            p["email"],
        ),
        after=(c, "true"),
    )


def _b_tag_sold_out(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::product_variant_out_of_stock", "TRIGGER")
    b.step(
        "shopify::admin::add_product_tags",
        "ACTION",
        {"product_id": "product.id", "tags": compact(p["tags"])},
        after=(t, "output"),
    )


def _archived(b: FlowBuilder) -> str:
    t = b.step("shopify::admin::product_status_updated", "TRIGGER")
    cond = Cmp("product.status", "==", "ARCHIVED", fb.PRODUCT_STATUS)
    return b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )


def _b_remove_archived(b: FlowBuilder, p: dict[str, Any]) -> None:
    c = _archived(b)
    b.step(
        "shopify::admin::remove_product_from_collections",
        "ACTION",
        {"product_id": "product.id", "collection_ids": compact(p["collections"])},
        after=(c, "true"),
    )


def _b_redirect_archived(b: FlowBuilder, p: dict[str, Any]) -> None:
    c = _archived(b)
    b.step(
        "shopify::admin::created_redirect_url",
        "ACTION",
        {"path": "/products/{{product.handle}}", "target": p["target"]},
        after=(c, "true"),
    )


def _b_tag_new_customer_country(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::customer_created", "TRIGGER")
    cond = Cmp("customer.defaultAddress.countryCodeV2", "==", p["country"], fb.STRING)
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_customer_tags",
        "ACTION",
        {"customer_id": "customer.id", "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_email_new_customer(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::customer_created", "TRIGGER")
    b.step(
        "shopify::flow::send_email",
        "ACTION",
        _email(
            "New customer signed up",
            "{{customer.displayName}} ({{customer.email}}) just created an account.",
            p["email"],
        ),
        after=(t, "output"),
    )


def _b_tag_repeat(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_paid", "TRIGGER")
    cond = Cmp("order.customer.numberOfOrders", ">=", p["orders"], fb.INT)
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_customer_tags",
        "ACTION",
        {"customer_id": "order.customer.id", "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_vip_after_wait(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_paid", "TRIGGER")
    w = b.step(
        "shopify::flow::wait",
        "WAIT",
        {"wait_duration": f"P{p['days']}D"},
        after=(t, "output"),
    )
    cond = all_of(
        Cmp("order.customer.amountSpent.amount", ">=", p["threshold"], fb.MONEY),
        Cmp("order.customer.numberOfOrders", ">=", p["orders"], fb.INT),
    )
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(w, "output"),
    )
    b.step(
        "shopify::admin::add_customer_tags",
        "ACTION",
        {"customer_id": "order.customer.id", "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_wholesale_drafts(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::draft_order_created", "TRIGGER")
    cond = ArrayCond(
        "ANY",
        "draftOrder.customer.tags",
        "tags_item",
        Cmp("tags_item", "==", p["segment"], fb.STRING),
    )
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_draft_order_tags",
        "ACTION",
        {"draft_order_id": "draftOrder.id", "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_discount_code(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_created", "TRIGGER")
    cond = ArrayCond(
        "ANY",
        "order.discountApplications",
        "discountApplications_item",
        Cmp("discountApplications_item.code", "==", p["code"], fb.STRING),
    )
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_order_tags",
        "ACTION",
        {"order_id": ORDER_ID, "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_sku_prefix(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_created", "TRIGGER")
    cond = all_of(
        ArrayCond(
            "ANY",
            "order.lineItems",
            "lineItems_item",
            Cmp("lineItems_item.sku", "starts_with?", p["prefix"], fb.STRING),
        ),
        Cmp("order.totalPriceSet.shopMoney.amount", ">=", p["threshold"], fb.MONEY),
    )
    c = b.step(
        "shopify::flow::condition",
        "CONDITION",
        {"condition": fb.render_condition(cond, b.rng)},
        after=(t, "output"),
    )
    b.step(
        "shopify::admin::add_order_tags",
        "ACTION",
        {"order_id": ORDER_ID, "tags": compact(p["tags"])},
        after=(c, "true"),
    )


def _b_webhook_erp(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_paid", "TRIGGER")
    headers = compact(
        [["Content-Type", "application/json"], ["Authorization", f"Bearer {p['token']}"]]
    )
    b.step(
        "shopify::flow::send_http",
        "ACTION",
        {
            "method": "POST",
            "url": p["url"],
            "headers": headers,
            "body": '{"order":"{{order.name}}","total":"{{order.totalPriceSet.shopMoney.amount}}"}',
            "on_client_error": "fail",
            "on_server_error": "retry",
        },
        after=(t, "output"),
        version="2.0",
    )


def _recurrence(p: dict[str, Any]) -> str:
    rule = "RRULE:FREQ=DAILY" if p["every"] == "day" else "RRULE:FREQ=WEEKLY;BYDAY=MO"
    return compact([f"DTSTART;TZID=UTC:20260105T{p['hour']:02d}0000\n{rule}"])


def _b_daily_unfulfilled(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::flow::scheduled_time", "TRIGGER", {"recurrence": _recurrence(p)})
    g = b.step(
        "shopify::flow::fetch::orders",
        "ACTION",
        {"max_root_records": "100", "query": "fulfillment_status:unfulfilled status:open"},
        after=(t, "output"),
        version="v1",
    )
    n = b.step("shopify::flow::count", "ACTION", {"listpath": "getOrderData"}, after=(g, "output"))
    b.step(
        "shopify::flow::send_email",
        "ACTION",
        _email(
            "Unfulfilled orders",
            "There are {{count}} unfulfilled orders this morning.",
            p["email"],
        ),
        after=(n, "output"),
    )


def _b_lapsed_customers(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::flow::scheduled_time", "TRIGGER", {"recurrence": _recurrence(p)})
    g = b.step(
        "shopify::flow::fetch::customers",
        "ACTION",
        {"max_root_records": "100", "query": f"last_order_date:<'-{p['days']}d' orders_count:>0"},
        after=(t, "output"),
        version="v1",
    )
    loop = b.step(
        "shopify::flow::foreach", "FOREACH", {"listpath": "getCustomerData"}, after=(g, "output")
    )
    b.step(
        "shopify::admin::add_customer_tags",
        "ACTION",
        {"customer_id": "getCustomerDataForeachitem.id", "tags": compact(p["tags"])},
        after=(loop, "loop_body"),
    )


def _b_cart_metafield(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::order_created", "TRIGGER")
    value = (
        "{% for a in order.customAttributes %}{% if a.key == '"
        + p["attribute"]
        + "' %}{{a.value}}{% endif %}{% endfor %}"
    )
    b.step(
        "shopify::admin::add_order_metafield",
        "ACTION",
        {
            "order_id": ORDER_ID,
            "metafield": compact(
                {"namespace": "custom", "key": p["attribute"], "type": "single_line_text_field"}
            ),
            "value": value,
        },
        after=(t, "output"),
        version="1.0",
    )


def _b_error_alert(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::workflow_error_occurred", "TRIGGER")
    b.step(
        "shopify::flow::send_email",
        "ACTION",
        _email(
            "A workflow failed",
            "Workflow {{workflow.name}} failed: {{workflowError.message}}",
            p["email"],
        ),
        after=(t, "output"),
    )


def _b_payment_reminder(b: FlowBuilder, p: dict[str, Any]) -> None:
    t = b.step("shopify::admin::payment_schedule_due", "TRIGGER")
    b.step(
        "shopify::admin::send_payment_reminder",
        "ACTION",
        {"payment_schedule_id": "paymentSchedule.id"},
        after=(t, "output"),
    )
    b.step(
        "shopify::flow::send_email",
        "ACTION",
        _email("Payment reminder sent", "Reminder sent for order {{order.name}}.", p["email"]),
        after=(t, "output"),
    )


def _country(rng: random.Random) -> dict[str, Any]:
    code, name = rng.choice(COUNTRIES)
    return {"country": code, "country_name": name}


def _p(**fixed: Callable[[random.Random, Persona], Any]) -> Callable[..., dict[str, Any]]:
    """Parameters drawn per instance: each keyword maps to a function of (rng, persona)."""

    def draw(rng: random.Random, persona: Persona) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, fn in fixed.items():
            value = fn(rng, persona)
            if isinstance(value, dict):
                out.update(value)
            else:
                out[key] = value
        return out

    return draw


_money_p = lambda r, _: _money(r)  # noqa: E731
_otags = lambda r, _: _tags(r, ORDER_TAGS)  # noqa: E731
_ctags = lambda r, _: _tags(r, CUSTOMER_TAGS)  # noqa: E731
_email_p = lambda r, s: r.choice((s.email, s.email, s.staff_email))  # noqa: E731
_name_p = lambda _, s: s.owner  # noqa: E731

PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "tag_high_value_orders", "orders", 40, frozenset(),
        _p(threshold=_money_p, tags=_otags),
        _b_tag_high_value, "Tag high-value orders",
        (
            "Tag orders over {money} with {tags}",
            "when an order is more than {money} add the tag {tags}",
            "I want every order above {money} tagged {tags} please",
            "Can you set up a workflow that tags big orders ({money}+) as {tags}?",
            "add tag {tags} to any order with a total of {money} or more",
        ),
        ("tag my big orders", "flag high value orders with a tag", "tag expensive orders {tags}"),
    ),
    Pattern(
        "tag_orders_by_country", "orders", 14, frozenset(),
        _p(country=lambda r, _: _country(r), tags=_otags),
        _b_tag_country, "Tag orders by shipping country",
        (
            "Tag orders shipping to {country} with {tags}",
            "if the order ships to {country} tag it {tags}",
            "orders going to {country} should get the tag {tags}",
        ),
        ("tag international orders", "tag orders by country"),
    ),
    Pattern(
        "email_staff_high_value_orders", "orders", 10, frozenset({"email"}),
        _p(threshold=_money_p, email=_email_p, name=_name_p),
        _b_email_high_value, "Email me about big orders",
        (
            "Email me at {email} when an order over {money} comes in",
            "send an email to {email} for every order above {money}",
            "notify {name} ({email}) by email when someone spends more than {money}",
            "when I get an order bigger than {money} shoot an email to {email}",
        ),
        ("email me about big orders", "let me know by email when a large order comes in"),
    ),
    Pattern(
        "tag_high_risk_orders", "risk", 12, frozenset(),
        _p(risk=lambda r, _: r.choice(("HIGH", "HIGH", "MEDIUM")), tags=lambda r, _: ["high-risk"]),
        _b_tag_risky, "Tag risky orders",
        (
            "Tag orders with {risk} fraud risk as {tags}",
            "when the risk analysis says {risk}, tag the order {tags}",
            "flag orders that are {risk} risk with a {tags} tag",
        ),
        ("tag risky orders", "mark fraudulent looking orders"),
    ),
    Pattern(
        "cancel_high_risk_orders", "risk", 4, frozenset({"complex"}),
        _p(restock=lambda r, _: r.choice((True, False))),
        _b_cancel_risky, "Cancel high-risk orders",
        (
            "Cancel orders automatically when the risk level is high{restock_text}",
            "auto-cancel high risk orders{restock_text}",
        ),
        ("cancel fraud orders",),
    ),
    Pattern(
        "capture_payment_unless_risky", "risk", 5, frozenset({"complex"}),
        _p(),
        _b_capture_unless_risky, "Capture payment unless risky",
        (
            "Capture payment for low risk orders and tag the rest for manual review",
            "only capture payment automatically if the order risk is low, otherwise tag manual-review",
        ),
        ("capture payments automatically unless risky",),
    ),
    Pattern(
        "low_stock_alert_email", "inventory_and_merch", 9, frozenset({"email", "complex"}),
        _p(threshold=lambda r, _: str(r.choice((3, 5, 10, 20, 25))), email=_email_p,
           phone=lambda _, s: s.phone),
        _b_low_stock, "Low stock alert",
        (
            "Email {email} when a variant drops below {n} units (only once, when it crosses)",
            "low stock alert: when inventory goes under {n} send an email to {email}",
            "warn me at {email} if stock falls below {n}, my supplier's number is {phone}",
        ),
        ("tell me when stock is low", "low inventory email alert"),
    ),
    Pattern(
        "tag_sold_out_products", "inventory_and_merch", 8, frozenset(),
        _p(tags=lambda r, _: [r.choice(("sold-out", "out-of-stock", "restock-needed"))]),
        _b_tag_sold_out, "Tag sold-out products",
        (
            "tag products as {tags} when a variant goes out of stock",
            "When something sells out add the {tags} tag to the product",
        ),
        ("tag sold out stuff",),
    ),
    Pattern(
        "remove_archived_from_collections", "inventory_and_merch", 3, frozenset(),
        _p(collections=lambda r, _: [f"gid://shopify/Collection/{r.randint(10**8, 10**9)}"]),
        _b_remove_archived, "Remove archived products from collections",
        (
            "When a product gets archived remove it from the {collection} collection",
            "take archived products out of collection {collection}",
        ),
        ("clean up collections when products are archived",),
    ),
    Pattern(
        "redirect_archived_products", "buyer_experience", 4, frozenset(),
        _p(target=lambda r, _: r.choice(("/collections/all", "/collections/new", "/"))),
        _b_redirect_archived, "Redirect archived products",
        (
            "redirect archived product pages to {target}",
            "When I archive a product, send its URL to {target} so people don't hit a 404",
        ),
        ("avoid 404s for archived products",),
    ),
    Pattern(
        "tag_new_customers_by_country", "customers", 7, frozenset(),
        _p(country=lambda r, _: _country(r), tags=_ctags),
        _b_tag_new_customer_country, "Tag new customers by country",
        (
            "Tag new customers from {country} with {tags}",
            "when a customer signs up and lives in {country} add tag {tags}",
        ),
        ("tag new customers by country",),
    ),
    Pattern(
        "email_new_customer_signup", "customers", 3, frozenset({"email"}),
        _p(email=_email_p),
        _b_email_new_customer, "Email on new customer",
        (
            "send {email} an email whenever a new customer signs up",
            "Email me ({email}) when someone creates an account",
        ),
        ("email me about new customers",),
    ),
    Pattern(
        "tag_repeat_customers", "loyalty", 6, frozenset(),
        _p(orders=lambda r, _: str(r.choice((2, 3, 5, 10))), tags=_ctags),
        _b_tag_repeat, "Tag repeat customers",
        (
            "tag customers with {orders} or more orders as {tags}",
            "After a customer's {orders}th paid order tag them {tags}",
        ),
        ("tag my repeat customers", "tag loyal customers"),
    ),
    Pattern(
        "tag_vip_after_wait", "loyalty", 3, frozenset({"complex"}),
        _p(days=lambda r, _: r.choice((3, 7, 14)), threshold=_money_p,
           orders=lambda r, _: str(r.choice((2, 3, 5))), tags=lambda r, _: ["vip"]),
        _b_vip_after_wait, "VIP check after purchase",
        (
            "{days} days after an order is paid, if the customer spent {money}+ and has {orders} orders, tag them vip",
            "wait {days} days after payment then check if total spend is at least {money} and orders >= {orders}; if so add vip tag",
        ),
        ("tag vips a week after they buy",),
    ),
    Pattern(
        "tag_wholesale_draft_orders", "b2b", 3, frozenset({"complex"}),
        _p(segment=lambda r, _: r.choice(("wholesale", "b2b", "trade")),
           tags=lambda r, _: [r.choice(("wholesale", "b2b-order"))]),
        _b_wholesale_drafts, "Tag wholesale draft orders",
        (
            "Tag draft orders from customers tagged {segment} with {tags}",
            "if a draft order's customer has the {segment} tag, tag the draft {tags}",
        ),
        ("tag wholesale drafts",),
    ),
    Pattern(
        "tag_discount_code_orders", "promotions", 4, frozenset({"complex"}),
        _p(code=lambda r, _: r.choice(("SUMMER20", "WELCOME10", "BFCM25", "VIPONLY")),
           tags=lambda r, _: ["promo"]),
        _b_discount_code, "Tag orders using a discount code",
        (
            "tag orders that used the code {code} with {tags}",
            "Whenever someone checks out with {code}, add tag {tags} to the order",
        ),
        ("track orders from my promo code",),
    ),
    Pattern(
        "tag_orders_with_sku_prefix", "orders", 3, frozenset({"complex"}),
        _p(prefix=lambda r, _: r.choice(("PRE-", "GIFT-", "BNDL-", "SUB-")), threshold=_money_p,
           tags=_otags),
        _b_sku_prefix, "Tag orders by SKU",
        (
            "tag orders over {money} that contain a SKU starting with {prefix} as {tags}",
            "if any line item sku starts with {prefix} and the total is at least {money}, tag {tags}",
        ),
        ("tag preorders",),
    ),
    Pattern(
        "webhook_paid_orders_to_erp", "fulfillment", 4, frozenset(),
        _p(token=lambda r, _: _token(r),
           url=lambda r, s: f"https://erp.{s.store}.com/api/orders"),
        _b_webhook_erp, "Send paid orders to ERP",
        (
            "POST paid orders to {url} with header Authorization: Bearer {token}",
            "send every paid order to our ERP at {url}, the api key is {token}",
        ),
        ("sync paid orders to our ERP",),
    ),
    Pattern(
        "daily_unfulfilled_orders_email", "fulfillment", 3, frozenset({"email", "complex"}),
        _p(email=_email_p, hour=lambda r, _: r.choice((7, 8, 9)), every=lambda r, _: "day"),
        _b_daily_unfulfilled, "Daily unfulfilled orders email",
        (
            "Every morning at {hour} email {email} how many orders are still unfulfilled",
            "daily email to {email} with the count of unfulfilled orders",
        ),
        ("daily unfulfilled order report",),
    ),
    Pattern(
        "tag_lapsed_customers_weekly", "customers", 2, frozenset({"complex"}),
        _p(days=lambda r, _: r.choice((60, 90, 180)), hour=lambda r, _: r.choice((6, 9)),
           every=lambda r, _: "week", tags=lambda r, _: ["lapsed"]),
        _b_lapsed_customers, "Weekly lapsed customer tagging",
        (
            "every week tag customers who haven't ordered in {days} days as lapsed",
            "Each Monday find customers with no order in the last {days} days and tag them lapsed",
        ),
        ("tag inactive customers",),
    ),
    Pattern(
        "save_cart_attributes_to_metafield", "custom_data", 2, frozenset(),
        _p(attribute=lambda r, _: r.choice(("gift_note", "delivery_date", "how_heard"))),
        _b_cart_metafield, "Save cart attribute to order metafield",
        (
            "copy the cart attribute {attribute} into an order metafield custom.{attribute}",
            "save the {attribute} cart attribute on the order as a metafield",
        ),
        ("save cart attributes on orders",),
    ),
    Pattern(
        "alert_on_workflow_errors", "error_monitoring", 2, frozenset({"email"}),
        _p(email=_email_p),
        _b_error_alert, "Alert on workflow errors",
        (
            "email {email} when any workflow fails",
            "If a workflow errors out send me an email at {email}",
        ),
        ("tell me when workflows break",),
    ),
    Pattern(
        "b2b_payment_reminders", "payment_reminders", 2, frozenset({"email"}),
        _p(email=_email_p),
        _b_payment_reminder, "B2B payment reminders",
        (
            "when a B2B payment is due send the reminder and email {email}",
            "send payment reminders for due net terms and let {email} know",
        ),
        ("payment reminders for wholesale",),
    ),
)  # fmt: skip

BY_DESCRIPTOR = {p.descriptor: p for p in PATTERNS}


def pick_pattern(rng: random.Random) -> Pattern:
    """A pattern drawn by popularity."""
    return rng.choices(PATTERNS, weights=[p.weight for p in PATTERNS])[0]


def instantiate(pattern: Pattern, params: dict[str, Any], rng: random.Random) -> str:
    """The workflow payload text for a pattern and its parameters."""
    builder = FlowBuilder(pattern.title, rng)
    pattern.build(builder, params)
    return builder.payload()


def slots(params: dict[str, Any]) -> dict[str, str]:
    """The words a request uses for the parameters."""
    out = {k: str(v) for k, v in params.items()}
    if "threshold" in params:
        out["money"] = f"${params['threshold']}"
        out["n"] = str(params["threshold"])
    if "tags" in params:
        out["tags"] = " and ".join(params["tags"])
    if "country" in params:
        out["country"] = params["country_name"]
    if "collections" in params:
        out["collection"] = params["collections"][0].rsplit("/", 1)[1]
    if "risk" in params:
        out["risk"] = params["risk"].lower()
    if "restock" in params:
        out["restock_text"] = " and restock the items" if params["restock"] else ""
    return out


# -- edits: what merchants ask to change, and what the agent gets wrong ---------------------
@dataclass(frozen=True)
class Edit:
    """A change to a workflow's parameters, with the words a merchant uses for it."""

    kind: str  # threshold | add_tag | country | email
    params: dict[str, Any]
    phrase: str


EDITABLE = ("threshold", "tags", "country", "email")


def editable(params: dict[str, Any]) -> bool:
    """True when a workflow with these parameters has something a merchant may ask to change."""
    return any(k in params for k in EDITABLE)


def propose_edit(params: dict[str, Any], rng: random.Random, persona: Persona) -> Edit | None:
    """A change a merchant might ask for on a workflow with these parameters, or None."""
    options = []
    if "threshold" in params:
        options.append("threshold")
    if "tags" in params:
        options.append("add_tag")
    if "country" in params:
        options.append("country")
    if "email" in params:
        options.append("email")
    if not options:
        return None
    kind = rng.choice(options)
    new = dict(params)
    if kind == "threshold":
        old = int(params["threshold"])
        value = str(max(1, old + rng.choice((-1, 1)) * rng.choice((1, 2, 5)) * max(1, old // 10)))
        new["threshold"] = value
        phrase = rng.choice(
            (
                f"change the limit from {old} to {value}",
                f"can you make it {value} instead of {old}",
                f"bump the threshold to {value}",
                f"use {value} as the amount",
            )
        )
    elif kind == "add_tag":
        pool = [t for t in ORDER_TAGS + CUSTOMER_TAGS if t not in params["tags"]]
        tag = rng.choice(pool)
        new["tags"] = [*params["tags"], tag]
        phrase = rng.choice((f"also add the tag {tag}", f"add {tag} as a second tag"))
    elif kind == "country":
        code, name = rng.choice([c for c in COUNTRIES if c[0] != params["country"]])
        new["country"], new["country_name"] = code, name
        phrase = rng.choice((f"switch it to {name}", f"make it {name} instead"))
    else:
        other = persona.staff_email if params["email"] != persona.staff_email else persona.email
        new["email"] = other
        phrase = rng.choice(
            (f"send the email to {other} instead", f"change the recipient to {other}")
        )
    return Edit(kind, new, phrase)
