"""The catalog data: size, uniqueness, the verified ids, the seed tasks, the environment, schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from flowgen_core.catalog import FIELD_KINDS, TASK_TYPES, catalog_from_json, load_catalog
from flowgen_core.catalog.model import CATALOG_FILE, Environment, check_document
from flowgen_core.errors import InvalidInput

VERIFIED_IDS = [
    "shopify::admin::order_created",
    "shopify::admin::draft_order_created",
    "shopify::admin::product_status_updated",
    "shopify::admin::order_risk_analyzed",
    "shopify::flow::scheduled_time",
    "shopify::flow::condition",
    "shopify::flow::foreach",
    "shopify::flow::count",
    "shopify::flow::sum",
    "shopify::flow::run_code",
    "shopify::flow::fetch::orders",
    "shopify::flow::fetch::customers",
    "shopify::flow::fetch::products",
    "shopify::flow::execute_shopifyql",
    "shopify::admin::add_order_tags",
    "shopify::admin::add_draft_order_tags",
    "shopify::admin::add_product_tags",
    "shopify::admin::add_order_metafield",
    "shopify::admin::capture_payment",
    "shopify::admin::created_redirect_url",
    "shopify::admin::admin_api_operation",
    "shopify::flow::send_email",
    "shopify::email::execute_marketing_activity",
    "shopify::iris::send_shopify_alert_for_errors",
]

# The seed tasks the sample flows use: (id, python name, field ids).
SEEDS = [
    ("shopify::admin::order_created", "order_created", []),
    ("shopify::admin::order_paid", "order_paid", []),
    ("shopify::admin::customer_created", "customer_created", []),
    ("shopify::admin::product_status_updated", "product_status_updated", []),
    ("shopify::admin::product_variant_out_of_stock", "product_variant_out_of_stock", []),
    ("shopify::flow::condition", "condition", ["condition"]),
    ("shopify::flow::foreach", "foreach", ["listpath"]),
    ("shopify::flow::wait", "wait", ["wait_duration"]),
    ("shopify::admin::add_order_tags", "add_order_tags", ["order_id", "tags"]),
    ("shopify::admin::add_customer_tags", "add_customer_tags", ["customer_id", "tags"]),
    ("shopify::admin::add_product_tags", "add_product_tags", ["product_id", "tags"]),
    (
        "shopify::admin::remove_product_from_collections",
        "remove_product_from_collections",
        ["product_id", "collection_ids"],
    ),
    (
        "shopify::admin::created_redirect_url",
        "create_redirect_url",
        ["path", "target", "overwrite_target"],
    ),
    ("shopify::flow::send_email", "send_internal_email", ["address", "subject", "message"]),
]

# catalog-facts.md, "Config fields seen in real exports": (id, version, field ids in order).
REAL_EXPORT_FIELDS = [
    ("shopify::admin::add_order_tags", "0.1", ["order_id", "tags"]),
    (
        "shopify::admin::add_order_metafield",
        "0.1",
        ["order_id", "namespace", "key", "value", "value_type"],
    ),
    ("shopify::admin::add_order_metafield", "1.0", ["order_id", "metafield", "value"]),
    ("shopify::admin::created_redirect_url", "0.1", ["path", "target", "overwrite_target"]),
    ("shopify::admin::admin_api_operation", "0.1", ["api_call"]),
    (
        "shopify::admin::fulfillment_order_submit_fulfillment_request",
        "0.1",
        ["fulfillment_order_id", "message", "notify_customer"],
    ),
    ("shopify::flow::send_email", "0.1", ["address", "subject", "message"]),
    (
        "shopify::flow::send_http",
        "2.0",
        ["method", "url", "headers", "body", "on_client_error", "on_server_error"],
    ),
    ("shopify::flow::run_code", "0.1", ["input", "script", "output_schema"]),
    ("shopify::flow::fetch::orders", "v1", ["sort_by", "max_root_records", "query"]),
    ("shopify::flow::foreach", "0.1", ["listpath"]),
    ("shopify::flow::condition", "0.1", ["condition"]),
    ("shopify::admin::order_created", "0.1", []),
    ("shopify::admin::product_status_updated", "0.1", []),
]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_size_and_types(catalog) -> None:
    assert len(catalog) >= 250
    assert {t.type for t in catalog.tasks} == set(TASK_TYPES)
    assert sum(t.type == "TRIGGER" for t in catalog.tasks) >= 83
    assert sum(t.type == "ACTION" for t in catalog.tasks) >= 90


def test_python_names_are_unique_short_identifiers(catalog) -> None:
    names = [t.python_name for t in catalog.newest]
    assert len(set(names)) == len(names)
    # Versions of one task share its name; no two task ids do.
    assert {t.python_name for t in catalog.tasks} == set(names)
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        assert "::" not in name and len(name) <= 40, name


def test_every_verified_id_is_present(catalog) -> None:
    for task_id in VERIFIED_IDS:
        assert catalog.get(task_id) is not None, task_id
    assert catalog.get("shopify::admin::add_order_metafield").label == "Update order metafield"
    assert catalog.get("shopify::admin::admin_api_operation").label == "Send Admin API request"


@pytest.mark.parametrize(("task_id", "version", "field_ids"), REAL_EXPORT_FIELDS)
def test_fields_and_versions_of_real_exports(
    catalog, task_id: str, version: str, field_ids
) -> None:
    task = catalog.get(task_id, version)
    assert task is not None, (task_id, version)
    assert [f.id for f in task.fields] == field_ids


def test_a_task_in_several_versions_has_the_newest_as_default(catalog) -> None:
    task_id = "shopify::admin::add_order_metafield"
    assert catalog.versions(task_id) == ("0.1", "1.0")
    assert catalog.get(task_id).version == "1.0"
    assert catalog.by_python_name("update_order_metafield").version == "1.0"
    assert [t.version for t in catalog.newest if t.id == task_id] == ["1.0"]
    assert catalog.versions("acme::nothing") == ()


def test_resource_id_fields_are_paths_not_liquid(catalog) -> None:
    for task_id, field_id in [
        ("shopify::admin::add_order_tags", "order_id"),
        ("shopify::admin::fulfillment_order_submit_fulfillment_request", "fulfillment_order_id"),
        ("shopify::admin::add_customer_tags", "customer_id"),
    ]:
        field = catalog.get(task_id).field(field_id)
        assert field.kind == "resource_id", (task_id, field_id)
        assert "{{" not in field.doc


@pytest.mark.parametrize(("task_id", "python_name", "field_ids"), SEEDS)
def test_seed_tasks_unchanged(catalog, task_id: str, python_name: str, field_ids: list) -> None:
    task = catalog.get(task_id, "0.1")
    assert task is not None
    assert task.python_name == python_name
    assert [f.id for f in task.fields] == field_ids


def test_fields_are_well_formed(catalog) -> None:
    for task in catalog.tasks:
        assert task.description and "\n" not in task.description, task.id
        assert task.label and task.area, task.id
        ids = [f.id for f in task.fields]
        assert len(set(ids)) == len(ids), task.id
        for f in task.fields:
            assert f.kind in FIELD_KINDS, (task.id, f.id)
            assert f.doc, (task.id, f.id)
            assert bool(f.enum_values) == (f.kind == "enum"), (task.id, f.id)


def test_triggers_provide_and_actions_require_known_kinds(catalog) -> None:
    env = catalog.environment
    for task in catalog.tasks:
        if task.type == "TRIGGER":
            assert task.provides, task.id
            assert not task.requires, task.id
        for name in task.provides:
            assert env.root_type(name) is not None, (task.id, name)
        for kind in task.requires:
            assert env.root_type(kind) is not None, (task.id, kind)


def test_trigger_scope_examples_from_the_facts(catalog) -> None:
    def provides(task_id: str) -> set[str]:
        return set(catalog.get(task_id).provides)

    assert {"product", "productVariant", "inventoryQuantityPrior"} <= provides(
        "shopify::admin::product_variant_inventory_quantity_changed"
    )
    assert {"tags", "customer", "shop"} <= provides("shopify::admin::customer_tags_added")
    assert {"oldStatus", "product"} <= provides("shopify::admin::product_status_updated")
    assert "scheduledAt" in provides("shopify::flow::scheduled_time")
    assert provides("shopify::flow::fetch::orders") == {"getOrderData"}
    assert provides("shopify::flow::execute_shopifyql") == {"getAnalyticsData"}


def test_every_area_of_the_facts_is_covered(catalog) -> None:
    areas = {t.area for t in catalog.tasks}
    for area in [
        "orders", "draft_orders", "customers", "products", "collections", "discounts",
        "disputes", "metaobjects", "fulfillment", "returns", "b2b", "subscriptions",
        "scheduling", "error_monitoring", "metafields", "redirects", "messaging", "logic",
        "get_data", "connectors",
    ]:  # fmt: skip
        assert area in areas, area
    ids = {t.id for t in catalog.tasks}
    assert "slack::send_message" in ids and "google_sheets::add_row" in ids
    assert {"loyalty_rewards::award_points", "loyalty_rewards::deduct_points"} <= ids


def test_environment_types_paths_and_implications(catalog) -> None:
    env = catalog.environment
    assert env.path_type("order.totalPriceSet.shopMoney.amount") == "Money"
    assert env.path_type("order.lineItems") == "[LineItem]"
    assert env.path_type("order.riskLevel") == "OrderRiskLevel"
    assert env.path_type("getOrderData1") == "[Order]"
    assert env.path_type("order.noSuchField") is None
    assert env.path_type("runCode.anything.at.all") == "JSON"
    assert env.path_type("item.sku", {"item": "LineItem"}) == "String"
    assert "customer" in env.closure(["order"])
    assert "order" in env.closure(["fulfillmentOrder"])
    assert "order" not in env.closure(["customer"])  # customer.lastOrder does not count
    assert env.always_in_scope == ("shop",)
    for type_name, fields in env.objects.items():
        for field_type in fields.values():
            base = field_type.strip("[]")
            known = base in env.objects or base in env.enums or base == "JSON"
            assert known or base[0].isupper(), (type_name, field_type)


def _document() -> dict:
    path = Path(__file__).parents[2] / "flowgen_core" / "catalog" / CATALOG_FILE
    return json.loads(path.read_text("utf-8"))


def test_catalog_from_json_round_trips_the_document() -> None:
    doc = _document()
    catalog = catalog_from_json(doc)
    assert len(catalog) == len(load_catalog())
    assert isinstance(catalog.environment, Environment)
    assert catalog.get("shopify::flow::fetch::orders").field("max_root_records").maximum == 100


def test_duplicate_python_names_are_rejected() -> None:
    doc = _document()
    doc["tasks"] = [*doc["tasks"], {**doc["tasks"][0], "id": "x::dup"}]
    with pytest.raises(InvalidInput, match=r"^tasks\.json: tasks: .*python names"):
        catalog_from_json(doc)


N = 81  # the first task with config fields


def _break(doc: dict, what: str) -> None:
    task = doc["tasks"][N]
    if what == "task type":
        task["type"] = "ACTON"
    elif what == "field kind":
        task["fields"][0]["kind"] = "txt"
    elif what == "unknown key":
        task["lable"] = task.pop("label")
    elif what == "missing key":
        del task["python_name"]
    elif what == "required":
        task["fields"][0]["required"] = "yes"
    elif what == "enum":
        doc["environment"]["enums"]["OrderRiskLevel"] = "HIGH"


@pytest.mark.parametrize(
    ("what", "where"),
    [
        ("task type", "tasks[{n}] ({id}).type: 'ACTON' is not one of"),
        ("field kind", "tasks[{n}] ({id}).fields[0].kind: 'txt' is not one of"),
        ("unknown key", "tasks[{n}] ({id}).lable: unknown key"),
        ("missing key", "tasks[{n}] ({id}).python_name: missing"),
        ("required", "tasks[{n}] ({id}).fields[0].required: 'yes' is not true or false"),
        ("enum", "environment.enums.OrderRiskLevel: 'HIGH' is not a list of strings"),
    ],
)
def test_a_document_out_of_schema_is_named_by_file_and_field(what: str, where: str) -> None:
    doc = _document()
    check_document(doc)  # the shipped file passes
    task_id = doc["tasks"][N]["id"]
    _break(doc, what)
    with pytest.raises(InvalidInput) as err:
        catalog_from_json(doc, "tasks.json")
    assert str(err.value).startswith("tasks.json: " + where.format(n=N, id=task_id))
    assert "\n" not in str(err.value)
