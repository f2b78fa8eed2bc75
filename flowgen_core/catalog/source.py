"""The source the catalog data file is generated from: every task declared once, compactly.

`python -m flowgen_core.catalog.source` rewrites `tasks.json` next to this file;
tests/catalog/test_model.py fails when the two disagree. Ids, labels and scope names follow the
platform (catalog-facts.md); where the platform's exact schema is not known the fields are
modelled on its public documentation and say so in their doc line only when it matters.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

CATALOG_VERSION = "2026.11.1"

# --- the data model of the environment ------------------------------------------------------

ENUMS: dict[str, list[str]] = {
    "OrderRiskLevel": ["HIGH", "MEDIUM", "LOW", "NONE", "PENDING"],
    "ProductStatus": ["ACTIVE", "ARCHIVED", "DRAFT"],
    "OrderDisplayFinancialStatus": [
        "AUTHORIZED",
        "EXPIRED",
        "PAID",
        "PARTIALLY_PAID",
        "PARTIALLY_REFUNDED",
        "PENDING",
        "REFUNDED",
        "VOIDED",
    ],
    "OrderDisplayFulfillmentStatus": [
        "FULFILLED",
        "IN_PROGRESS",
        "ON_HOLD",
        "OPEN",
        "PARTIALLY_FULFILLED",
        "PENDING_FULFILLMENT",
        "RESTOCKED",
        "SCHEDULED",
        "UNFULFILLED",
    ],
    "FulfillmentOrderStatus": [
        "CANCELLED",
        "CLOSED",
        "INCOMPLETE",
        "IN_PROGRESS",
        "ON_HOLD",
        "OPEN",
        "SCHEDULED",
    ],
    "CustomerState": ["DECLINED", "DISABLED", "ENABLED", "INVITED"],
    "CustomerEmailMarketingState": [
        "INVALID",
        "NOT_SUBSCRIBED",
        "PENDING",
        "REDACTED",
        "SUBSCRIBED",
        "UNSUBSCRIBED",
    ],
    "ReturnStatus": ["CANCELED", "CLOSED", "DECLINED", "OPEN", "REQUESTED"],
    "SubscriptionContractStatus": ["ACTIVE", "CANCELLED", "EXPIRED", "FAILED", "PAUSED"],
    "DiscountStatus": ["ACTIVE", "EXPIRED", "SCHEDULED"],
}

MONEY_BAG = "MoneyBag"
OBJECTS: dict[str, dict[str, str]] = {
    "Shop": {
        "id": "ID",
        "name": "String",
        "email": "String",
        "myshopifyDomain": "String",
        "currencyCode": "String",
        "ianaTimezone": "String",
        "url": "URL",
    },
    "MoneyV2": {"amount": "Money", "currencyCode": "String"},
    "MoneyBag": {"shopMoney": "MoneyV2", "presentmentMoney": "MoneyV2"},
    "Attribute": {"key": "String", "value": "String"},
    "MailingAddress": {
        "address1": "String",
        "address2": "String",
        "city": "String",
        "province": "String",
        "provinceCode": "String",
        "country": "String",
        "countryCodeV2": "String",
        "zip": "String",
        "phone": "String",
        "firstName": "String",
        "lastName": "String",
    },
    "Order": {
        "id": "ID",
        "name": "String",
        "email": "String",
        "phone": "String",
        "note": "String",
        "tags": "[String]",
        "createdAt": "DateTime",
        "processedAt": "DateTime",
        "cancelledAt": "DateTime",
        "totalPriceSet": MONEY_BAG,
        "subtotalPriceSet": MONEY_BAG,
        "totalDiscountsSet": MONEY_BAG,
        "totalShippingPriceSet": MONEY_BAG,
        "totalTaxSet": MONEY_BAG,
        "totalWeight": "Int",
        "currentSubtotalLineItemsQuantity": "Int",
        "riskLevel": "OrderRiskLevel",
        "displayFinancialStatus": "OrderDisplayFinancialStatus",
        "displayFulfillmentStatus": "OrderDisplayFulfillmentStatus",
        "fullyPaid": "Boolean",
        "test": "Boolean",
        "sourceName": "String",
        "discountCodes": "[String]",
        "customAttributes": "[Attribute]",
        "customer": "Customer",
        "lineItems": "[LineItem]",
        "shippingAddress": "MailingAddress",
        "billingAddress": "MailingAddress",
        "fulfillmentOrders": "[FulfillmentOrder]",
        "transactions": "[OrderTransaction]",
    },
    "LineItem": {
        "id": "ID",
        "title": "String",
        "name": "String",
        "sku": "String",
        "vendor": "String",
        "quantity": "Int",
        "requiresShipping": "Boolean",
        "originalUnitPriceSet": MONEY_BAG,
        "discountedTotalSet": MONEY_BAG,
        "customAttributes": "[Attribute]",
        "product": "Product",
        "variant": "ProductVariant",
    },
    "Customer": {
        "id": "ID",
        "email": "String",
        "phone": "String",
        "firstName": "String",
        "lastName": "String",
        "displayName": "String",
        "note": "String",
        "tags": "[String]",
        "numberOfOrders": "Int",
        "amountSpent": "MoneyV2",
        "createdAt": "DateTime",
        "updatedAt": "DateTime",
        "state": "CustomerState",
        "verifiedEmail": "Boolean",
        "taxExempt": "Boolean",
        "defaultAddress": "MailingAddress",
        "emailMarketingConsent": "CustomerEmailMarketingConsentState",
        "orders": "[Order]",
        "lastOrder": "Order",
    },
    "CustomerEmailMarketingConsentState": {
        "marketingState": "CustomerEmailMarketingState",
        "consentUpdatedAt": "DateTime",
    },
    "Product": {
        "id": "ID",
        "title": "String",
        "handle": "String",
        "vendor": "String",
        "productType": "String",
        "descriptionHtml": "HTML",
        "status": "ProductStatus",
        "tags": "[String]",
        "totalInventory": "Int",
        "createdAt": "DateTime",
        "publishedAt": "DateTime",
        "onlineStoreUrl": "URL",
        "variants": "[ProductVariant]",
        "collections": "[Collection]",
    },
    "ProductVariant": {
        "id": "ID",
        "title": "String",
        "sku": "String",
        "barcode": "String",
        "price": "Money",
        "compareAtPrice": "Money",
        "inventoryQuantity": "Int",
        "availableForSale": "Boolean",
        "product": "Product",
        "inventoryItem": "InventoryItem",
    },
    "InventoryItem": {
        "id": "ID",
        "sku": "String",
        "tracked": "Boolean",
        "unitCost": "MoneyV2",
        "variant": "ProductVariant",
    },
    "InventoryTransfer": {"id": "ID", "name": "String", "status": "String"},
    "Collection": {
        "id": "ID",
        "title": "String",
        "handle": "String",
        "productsCount": "Int",
        "updatedAt": "DateTime",
    },
    "DraftOrder": {
        "id": "ID",
        "name": "String",
        "email": "String",
        "note": "String",
        "tags": "[String]",
        "status": "String",
        "createdAt": "DateTime",
        "totalPriceSet": MONEY_BAG,
        "customer": "Customer",
        "lineItems": "[LineItem]",
    },
    "FulfillmentOrder": {
        "id": "ID",
        "status": "FulfillmentOrderStatus",
        "requestStatus": "String",
        "fulfillAt": "DateTime",
        "createdAt": "DateTime",
        "order": "Order",
    },
    "Fulfillment": {
        "id": "ID",
        "status": "String",
        "trackingCompany": "String",
        "createdAt": "DateTime",
        "order": "Order",
    },
    "FulfillmentEvent": {
        "id": "ID",
        "status": "String",
        "message": "String",
        "happenedAt": "DateTime",
        "fulfillment": "Fulfillment",
    },
    "Refund": {
        "id": "ID",
        "note": "String",
        "createdAt": "DateTime",
        "totalRefundedSet": MONEY_BAG,
        "order": "Order",
    },
    "Return": {
        "id": "ID",
        "name": "String",
        "status": "ReturnStatus",
        "totalQuantity": "Int",
        "order": "Order",
    },
    "Dispute": {
        "id": "ID",
        "reason": "String",
        "status": "String",
        "amount": "MoneyV2",
        "initiatedAt": "DateTime",
        "order": "Order",
    },
    "OrderTransaction": {
        "id": "ID",
        "kind": "String",
        "status": "String",
        "gateway": "String",
        "amountSet": MONEY_BAG,
        "order": "Order",
    },
    "TenderTransaction": {
        "id": "ID",
        "paymentMethod": "String",
        "amount": "MoneyV2",
        "processedAt": "DateTime",
        "order": "Order",
    },
    "Company": {
        "id": "ID",
        "name": "String",
        "externalId": "String",
        "note": "String",
        "createdAt": "DateTime",
        "locations": "[CompanyLocation]",
    },
    "CompanyLocation": {
        "id": "ID",
        "name": "String",
        "note": "String",
        "company": "Company",
    },
    "CompanyContact": {
        "id": "ID",
        "title": "String",
        "isMainContact": "Boolean",
        "company": "Company",
        "customer": "Customer",
    },
    "PaymentSchedule": {
        "id": "ID",
        "dueAt": "DateTime",
        "issuedAt": "DateTime",
        "amount": "MoneyV2",
        "order": "Order",
    },
    "SubscriptionContract": {
        "id": "ID",
        "status": "SubscriptionContractStatus",
        "nextBillingDate": "DateTime",
        "currencyCode": "String",
        "customer": "Customer",
    },
    "SubscriptionBillingAttempt": {
        "id": "ID",
        "errorCode": "String",
        "errorMessage": "String",
        "ready": "Boolean",
        "subscriptionContract": "SubscriptionContract",
        "order": "Order",
    },
    "SellingPlanGroup": {"id": "ID", "name": "String", "merchantCode": "String"},
    "CustomerPaymentMethod": {
        "id": "ID",
        "revokedAt": "DateTime",
        "revokedReason": "String",
        "customer": "Customer",
    },
    "Abandonment": {
        "id": "ID",
        "abandonmentType": "String",
        "createdAt": "DateTime",
        "customer": "Customer",
        "productsAddedToCart": "[Product]",
    },
    "Segment": {"id": "ID", "name": "String"},
    "Discount": {
        "id": "ID",
        "title": "String",
        "code": "String",
        "status": "DiscountStatus",
        "startsAt": "DateTime",
        "endsAt": "DateTime",
        "usageLimit": "Int",
    },
    "Metaobject": {"id": "ID", "handle": "String", "type": "String", "displayName": "String"},
    "WorkflowError": {
        "workflowName": "String",
        "errorMessage": "String",
        "workflowRunUrl": "URL",
        "occurredAt": "DateTime",
    },
    "ShopifyqlResponse": {"parseErrors": "[String]", "tableData": "JSON"},
    "HttpResponse": {"status": "Int", "body": "String", "headers": "[Attribute]"},
    "Review": {
        "id": "ID",
        "rating": "Int",
        "title": "String",
        "body": "String",
        "product": "Product",
        "customer": "Customer",
    },
    "Ticket": {
        "id": "ID",
        "subject": "String",
        "status": "String",
        "channel": "String",
        "customer": "Customer",
    },
    "Shipment": {
        "id": "ID",
        "trackingNumber": "String",
        "carrier": "String",
        "status": "String",
        "order": "Order",
    },
}

# To-one relations an action may follow: an action that needs `customer` runs with an `order`
# in scope because it can act on order.customer. Lists (order.lineItems) never count, and
# neither does customer.lastOrder: "Customer created" must not be able to "Add order tags".
IMPLIES: dict[str, list[str]] = {
    "order": ["customer"],
    "draftOrder": ["customer"],
    "productVariant": ["product"],
    "lineItem": ["product", "productVariant"],
    "inventoryItem": ["productVariant"],
    "fulfillmentOrder": ["order"],
    "fulfillment": ["order"],
    "fulfillmentEvent": ["fulfillment"],
    "refund": ["order"],
    "return": ["order"],
    "dispute": ["order"],
    "orderTransaction": ["order"],
    "tenderTransaction": ["order"],
    "paymentSchedule": ["order"],
    "companyLocation": ["company"],
    "companyContact": ["company", "customer"],
    "subscriptionContract": ["customer"],
    "subscriptionBillingAttempt": ["subscriptionContract", "order"],
    "customerPaymentMethod": ["customer"],
    "abandonment": ["customer"],
    "review": ["product", "customer"],
    "ticket": ["customer"],
    "shipment": ["order"],
}

ALWAYS_IN_SCOPE = ["shop"]

# Scope names whose type is not simply the capitalised name (order -> Order is implied).
SCALAR_ROOTS: dict[str, str] = {
    "tags": "[String]",
    "oldStatus": "ProductStatus",
    "inventoryQuantityPrior": "Int",
    "scheduledAt": "DateTime",
    "orderId": "ID",
    "draftOrderId": "ID",
    "customerId": "ID",
    "productId": "ID",
    "productVariantId": "ID",
    "inventoryItemId": "ID",
    "collectionId": "ID",
    "sellingPlanGroupId": "ID",
    "pointsChange": "Int",
    "pointsBalance": "Int",
    "tierName": "String",
    "listName": "String",
    "count": "Int",
    "sum": "Decimal",
    "runCode": "JSON",
    "sendAdminApiRequest": "JSON",
    "sendHttpRequest": "HttpResponse",
    "getOrderData": "[Order]",
    "getCustomerData": "[Customer]",
    "getProductData": "[Product]",
    "getProductVariantData": "[ProductVariant]",
    "getCollectionData": "[Collection]",
    "getDraftOrderData": "[DraftOrder]",
    "getDiscountData": "[Discount]",
    "getFulfillmentOrderData": "[FulfillmentOrder]",
    "getCompanyData": "[Company]",
    "getMetaobjectEntries": "[Metaobject]",
    "getAnalyticsData": "ShopifyqlResponse",
}

METAFIELD_TYPES = [
    "single_line_text_field",
    "multi_line_text_field",
    "number_integer",
    "number_decimal",
    "boolean",
    "date",
    "date_time",
    "json",
    "money",
    "url",
    "list.single_line_text_field",
]

# --- declaring tasks ------------------------------------------------------------------------


def snake(label: str) -> str:
    """snake_case of a label: "Add order tags" -> add_order_tags."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def camel(label: str) -> str:
    """The scope name a step's result gets: "Get order data" -> getOrderData."""
    words = re.findall(r"[A-Za-z0-9]+", label)
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])


def fld(
    fid: str,
    kind: str = "text",
    doc: str = "",
    required: bool = True,
    enum: list[str] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> dict[str, Any]:
    """One config field as it appears in tasks.json."""
    out: dict[str, Any] = {"id": fid, "kind": kind, "required": required, "doc": doc}
    if enum is not None:
        out["enum_values"] = enum
    if minimum is not None:
        out["minimum"] = minimum
    if maximum is not None:
        out["maximum"] = maximum
    return out


def opt(fid: str, kind: str = "text", doc: str = "", **kw: Any) -> dict[str, Any]:
    """An optional config field."""
    return fld(fid, kind, doc, required=False, **kw)


def obj_id(obj: str, doc: str | None = None) -> dict[str, Any]:
    """The `<obj>_id` field naming the object an action works on: an environment path."""
    words = obj.replace("_", " ")
    example = camel(words)
    return fld(f"{obj}_id", "resource_id", doc or f"The {words}, e.g. {example}.id.")


TASKS: list[dict[str, Any]] = []


def task(
    *,
    id: str,
    type: str,
    label: str,
    description: str,
    area: str,
    python_name: str | None = None,
    fields: list[dict[str, Any]] | None = None,
    provides: list[str] | None = None,
    requires: list[str] | None = None,
    keywords: list[str] | None = None,
    version: str = "0.1",
) -> None:
    """Declare one task."""
    TASKS.append(
        {
            "id": id,
            "version": version,
            "type": type,
            "label": label,
            "description": description,
            "python_name": python_name or snake(label),
            "area": area,
            "fields": fields or [],
            "provides": provides or [],
            "requires": requires or [],
            "keywords": keywords or [],
        }
    )


def trigger(
    label: str,
    area: str,
    provides: list[str],
    description: str,
    *,
    keywords: list[str] | None = None,
    id: str | None = None,
    python_name: str | None = None,
    fields: list[dict[str, Any]] | None = None,
) -> None:
    """Declare a trigger; every trigger also puts `shop` in scope."""
    task(
        id=id or f"shopify::admin::{snake(label)}",
        type="TRIGGER",
        label=label,
        description=description,
        area=area,
        python_name=python_name,
        fields=fields,
        provides=[*provides, *([] if "shop" in provides else ["shop"])],
        keywords=keywords,
    )


def action(
    label: str,
    area: str,
    requires: list[str],
    description: str,
    fields: list[dict[str, Any]],
    *,
    keywords: list[str] | None = None,
    id: str | None = None,
    python_name: str | None = None,
    provides: list[str] | None = None,
    version: str = "0.1",
) -> None:
    """Declare an action."""
    task(
        id=id or f"shopify::admin::{snake(label)}",
        type="ACTION",
        label=label,
        description=description,
        area=area,
        python_name=python_name,
        fields=fields,
        provides=provides,
        requires=requires,
        keywords=keywords,
        version=version,
    )


# --- triggers (the platform has about 83) ---------------------------------------------------

T = trigger
T(
    "Order created",
    "orders",
    ["order", "shop"],
    "Starts when a new order is created.",
    keywords=["new order", "order placed", "purchase", "checkout completed"],
)
T(
    "Order paid",
    "orders",
    ["order", "shop"],
    "Starts when an order is fully paid.",
    keywords=["payment received", "paid order"],
)
T(
    "Order fulfilled",
    "orders",
    ["order"],
    "Starts when all items of an order are fulfilled.",
    keywords=["shipped", "order shipped", "delivered"],
)
T(
    "Order cancelled",
    "orders",
    ["order"],
    "Starts when an order is cancelled.",
    keywords=["canceled", "cancellation"],
)
T("Order deleted", "orders", ["orderId"], "Starts when an order is deleted; only its id remains.")
T(
    "Order risk analyzed",
    "orders",
    ["order"],
    "Starts when fraud analysis of an order finishes and its risk level is known.",
    keywords=["fraud", "risky", "high risk", "chargeback"],
)
T(
    "Order transaction created",
    "orders",
    ["order", "orderTransaction"],
    "Starts when a payment transaction (authorization, capture, refund) is created on an order.",
    keywords=["payment", "capture", "authorization"],
)
T(
    "Tender transaction created",
    "orders",
    ["tenderTransaction"],
    "Starts when money changes hands: a payment or refund tender is recorded.",
    keywords=["payment", "gift card payment"],
)
T(
    "Draft order created",
    "draft_orders",
    ["draftOrder"],
    "Starts when a draft order is created.",
    keywords=["quote", "draft"],
)
T("Draft order deleted", "draft_orders", ["draftOrderId"], "Starts when a draft order is deleted.")
T(
    "Customer created",
    "customers",
    ["customer", "shop"],
    "Starts when a customer account is created.",
    keywords=["new customer", "sign up", "signup", "registration", "account created"],
)
T("Customer deleted", "customers", ["customerId"], "Starts when a customer is deleted.")
T(
    "Customer account enabled",
    "customers",
    ["customer"],
    "Starts when a customer activates their account.",
    keywords=["activated", "account invite accepted"],
)
T(
    "Customer account disabled",
    "customers",
    ["customer"],
    "Starts when a customer account is disabled.",
)
T(
    "Customer tags added",
    "customers",
    ["tags", "customer"],
    "Starts when tags are added to a customer.",
    keywords=["tagged customer"],
)
T(
    "Customer tags removed",
    "customers",
    ["tags", "customer"],
    "Starts when tags are removed from a customer.",
    keywords=["untagged customer"],
)
T(
    "Customer joined segment",
    "customers",
    ["customer", "segment"],
    "Starts when a customer enters a customer segment.",
    keywords=["segment", "audience", "vip"],
)
T(
    "Customer abandons checkout",
    "customers",
    ["customer", "abandonment"],
    "Starts when a known customer leaves checkout without buying.",
    keywords=["abandoned cart", "cart abandonment", "checkout abandoned"],
)
T(
    "Customer left online store without making a purchase",
    "customers",
    ["customer", "abandonment"],
    "Starts when a known customer browses the store and leaves without buying.",
    python_name="customer_left_without_purchase",
    keywords=["browse abandonment", "abandoned browse", "visited"],
)
T(
    "Customer subscribed to email marketing",
    "customers",
    ["customer"],
    "Starts when a customer opts in to email marketing.",
    keywords=["newsletter", "opt in", "subscriber", "email signup"],
)
T(
    "Customer payment method created",
    "customers",
    ["customerPaymentMethod", "customer"],
    "Starts when a customer saves a payment method.",
    keywords=["card saved", "vaulted card"],
)
T(
    "Customer payment method updated",
    "customers",
    ["customerPaymentMethod", "customer"],
    "Starts when a saved payment method changes.",
    keywords=["card updated"],
)
T(
    "Customer payment method revoked",
    "customers",
    ["customerPaymentMethod", "customer"],
    "Starts when a saved payment method is revoked.",
    keywords=["card expired", "card removed"],
)
T(
    "Product created",
    "products",
    ["product"],
    "Starts when a product is created.",
    keywords=["new product", "product added"],
)
T("Product deleted", "products", ["productId"], "Starts when a product is deleted.")
T(
    "Product status updated",
    "products",
    ["oldStatus", "product", "shop"],
    "Starts when a product's status changes.",
    keywords=["archived", "activated", "draft", "product archived", "status change"],
)
T(
    "Product variant added",
    "products",
    ["product", "productVariant"],
    "Starts when a variant is added to a product.",
    keywords=["new variant"],
)
T(
    "Product variant deleted",
    "products",
    ["productVariantId"],
    "Starts when a product variant is deleted.",
)
T(
    "Product variant back in stock",
    "products",
    ["product", "productVariant"],
    "Starts when a variant's inventory goes from zero to above zero.",
    keywords=["restocked", "back in stock", "available again", "restock"],
)
T(
    "Product variant out of stock",
    "products",
    ["product", "productVariant", "shop"],
    "Starts when a variant's inventory reaches zero.",
    keywords=["sold out", "soldout", "no stock", "zero inventory"],
)
T(
    "Product variant inventory quantity changed",
    "products",
    ["product", "productVariant", "inventoryQuantityPrior"],
    "Starts when a variant's inventory quantity changes; the prior quantity is in scope.",
    python_name="inventory_quantity_changed",
    keywords=[
        "low stock",
        "inventory level",
        "stock level",
        "running low",
        "inventory alert",
        "stock alert",
        "quantity below",
    ],
)
T(
    "Inventory item created",
    "products",
    ["inventoryItem"],
    "Starts when an inventory item is created for a variant.",
)
T(
    "Inventory item deleted",
    "products",
    ["inventoryItemId"],
    "Starts when an inventory item is deleted.",
)
T(
    "Inventory transfer ready to ship",
    "products",
    ["inventoryTransfer"],
    "Starts when an inventory transfer between locations is ready to ship.",
    keywords=["stock transfer", "warehouse"],
)
T(
    "Inventory transfer completed",
    "products",
    ["inventoryTransfer"],
    "Starts when an inventory transfer is received at its destination.",
    keywords=["stock transfer", "warehouse"],
)
T("Collection created", "collections", ["collection"], "Starts when a collection is created.")
T("Collection deleted", "collections", ["collectionId"], "Starts when a collection is deleted.")
T(
    "Automatic discount created",
    "discounts",
    ["discount"],
    "Starts when an automatic discount is created.",
    keywords=["promotion", "sale"],
)
T(
    "Discount code created",
    "discounts",
    ["discount"],
    "Starts when a discount code is created.",
    keywords=["coupon", "promo code", "promotion"],
)
T(
    "Dispute created",
    "disputes",
    ["dispute"],
    "Starts when a customer opens a chargeback or inquiry on a payment.",
    keywords=["chargeback", "dispute", "fraud"],
)
T(
    "Metaobject entry created",
    "metaobjects",
    ["metaobject"],
    "Starts when a metaobject entry is created.",
    keywords=["custom data"],
)
T(
    "Fulfillment created",
    "fulfillment",
    ["fulfillment"],
    "Starts when a fulfillment (shipment) is created for an order.",
    keywords=["shipped", "shipment", "tracking"],
)
T(
    "Fulfillment event created",
    "fulfillment",
    ["fulfillment", "fulfillmentEvent"],
    "Starts when a carrier reports a tracking event such as delivered or out for delivery.",
    keywords=["delivered", "tracking update", "out for delivery"],
)
T(
    "Fulfillment order placed on hold",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment order is put on hold.",
    keywords=["hold"],
)
T(
    "Fulfillment order hold released",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a hold on a fulfillment order is released.",
    keywords=["release hold"],
)
T(
    "Fulfillment order ready to fulfill",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment order becomes ready to fulfill.",
    keywords=["ready to ship"],
)
T(
    "Fulfillment order cancelled",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment order is cancelled.",
)
T(
    "Fulfillment order split",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment order is split into two.",
)
T(
    "Fulfillment orders merged",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when fulfillment orders are merged into one.",
)
T(
    "Fulfillment order moved",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment order moves to another location.",
    keywords=["location change"],
)
T(
    "Fulfillment order rescheduled",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a scheduled fulfillment order gets a new date.",
)
T(
    "Fulfillment order cancellation request submitted",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when the merchant asks the fulfillment service to cancel a fulfillment order.",
    python_name="cancellation_request_submitted",
)
T(
    "Fulfillment order cancellation request accepted",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when the fulfillment service accepts a cancellation request.",
    python_name="cancellation_request_accepted",
)
T(
    "Fulfillment order cancellation request rejected",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when the fulfillment service rejects a cancellation request.",
    python_name="cancellation_request_rejected",
)
T(
    "Fulfillment request submitted",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment request is sent to a fulfillment service.",
)
T(
    "Fulfillment request accepted",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment service accepts a fulfillment request.",
)
T(
    "Fulfillment request rejected",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment service rejects a fulfillment request.",
)
T(
    "Line items prepared for local delivery",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when items of a fulfillment order are ready for local delivery.",
    python_name="prepared_for_local_delivery",
    keywords=["local delivery"],
)
T(
    "Line items prepared for pickup",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when items of a fulfillment order are ready for in-store pickup.",
    python_name="prepared_for_pickup",
    keywords=["pickup", "click and collect", "bopis"],
)
T(
    "Fulfillment service failed to complete fulfillment",
    "fulfillment",
    ["fulfillmentOrder"],
    "Starts when a fulfillment service reports it could not fulfill items.",
    python_name="fulfillment_service_failed",
    keywords=["3pl", "warehouse error"],
)
T(
    "Refund created",
    "returns",
    ["refund", "order"],
    "Starts when a refund is issued on an order.",
    keywords=["refunded", "money back"],
)
T(
    "Return requested",
    "returns",
    ["return"],
    "Starts when a customer requests a return.",
    keywords=["rma", "return request"],
)
T("Return approved", "returns", ["return"], "Starts when a return request is approved.")
T("Return declined", "returns", ["return"], "Starts when a return request is declined.")
T("Return cancelled", "returns", ["return"], "Starts when a return is cancelled.")
T("Return closed", "returns", ["return"], "Starts when a return is closed.")
T("Return reopened", "returns", ["return"], "Starts when a closed return is reopened.")
T(
    "Return processed",
    "returns",
    ["return"],
    "Starts when returned items are processed (restocked or disposed).",
)
T(
    "Company created",
    "b2b",
    ["company"],
    "Starts when a B2B company is created.",
    keywords=["wholesale", "business customer"],
)
T(
    "Company location created",
    "b2b",
    ["companyLocation"],
    "Starts when a location is added to a B2B company.",
    keywords=["wholesale"],
)
T(
    "Company contact created",
    "b2b",
    ["companyContact"],
    "Starts when a contact is added to a B2B company.",
    keywords=["wholesale", "buyer"],
)
T(
    "Company contact assigned permission",
    "b2b",
    ["companyContact", "companyLocation"],
    "Starts when a company contact gets a role at a company location.",
    python_name="company_contact_role_assigned",
)
T(
    "Payment schedule due",
    "b2b",
    ["paymentSchedule", "order"],
    "Starts when a B2B order's payment terms come due.",
    keywords=["net 30", "invoice due", "payment terms", "overdue"],
)
T(
    "Selling plan group created",
    "subscriptions",
    ["sellingPlanGroup"],
    "Starts when a subscription or pre-order selling plan group is created.",
)
T(
    "Selling plan group updated",
    "subscriptions",
    ["sellingPlanGroup"],
    "Starts when a selling plan group changes.",
)
T(
    "Selling plan group deleted",
    "subscriptions",
    ["sellingPlanGroupId"],
    "Starts when a selling plan group is deleted.",
)
T(
    "Subscription contract created",
    "subscriptions",
    ["subscriptionContract"],
    "Starts when a customer starts a subscription.",
    keywords=["new subscriber", "subscribe"],
)
T(
    "Subscription contract updated",
    "subscriptions",
    ["subscriptionContract"],
    "Starts when a subscription changes (paused, cancelled, edited).",
)
T(
    "Subscription billing attempt success",
    "subscriptions",
    ["subscriptionBillingAttempt"],
    "Starts when a subscription renewal is charged successfully.",
    python_name="billing_attempt_succeeded",
    keywords=["renewal", "recurring payment"],
)
T(
    "Subscription billing attempt failure",
    "subscriptions",
    ["subscriptionBillingAttempt"],
    "Starts when a subscription renewal charge fails.",
    python_name="billing_attempt_failed",
    keywords=["dunning", "failed payment", "declined card", "renewal failed"],
)
T(
    "Subscription billing attempt challenged",
    "subscriptions",
    ["subscriptionBillingAttempt"],
    "Starts when a subscription renewal needs 3D Secure authentication.",
    python_name="billing_attempt_challenged",
    keywords=["3ds", "authentication"],
)
T(
    "Scheduled time",
    "scheduling",
    ["scheduledAt"],
    "Starts on a recurring schedule (iCalendar recurrence, at least 10 minutes apart).",
    id="shopify::flow::scheduled_time",
    python_name="scheduled_time",
    keywords=["every day", "daily", "weekly", "hourly", "schedule", "cron", "recurring", "each"],
    fields=[
        fld(
            "recurrence",
            "recurrence",
            'JSON array of iCalendar text, e.g. ["DTSTART;TZID=UTC:20260105T090000\\n'
            'RRULE:FREQ=DAILY"]; runs at least 10 minutes apart.',
        )
    ],
)
T(
    "Workflow error occurred",
    "error_monitoring",
    ["workflowError"],
    "Starts when another workflow of the shop fails.",
    keywords=["failure", "alert", "monitoring", "broken workflow"],
)

# --- actions (the platform has about 90) ----------------------------------------------------

A = action
TAG_OBJECTS = [
    ("order", "orders", ["order"]),
    ("draft_order", "draft_orders", ["draftOrder"]),
    ("customer", "customers", ["customer", "order"]),
    ("product", "products", ["product"]),
]
for obj, area, req in TAG_OBJECTS:
    words = obj.replace("_", " ")
    A(
        f"Add {words} tags",
        area,
        req,
        f"Adds tags to {'an' if words[0] in 'aeiou' else 'a'} {words}.",
        [
            obj_id(obj, f"The {words} to tag." if obj != "draft_order" else None),
            fld("tags", "string_list", "Tags to add."),
        ],
        keywords=["tag", "label", "mark", "flag"],
    )
    A(
        f"Remove {words} tags",
        area,
        req,
        f"Removes tags from {'an' if words[0] in 'aeiou' else 'a'} {words}.",
        [obj_id(obj), fld("tags", "string_list", "Tags to remove.")],
        keywords=["untag", "delete tag", "clear tag"],
    )

CANCEL_REASONS = ["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"]
A(
    "Add order line item",
    "orders",
    ["order"],
    "Adds a product variant to an existing order.",
    [
        obj_id("order"),
        fld("variant_id", doc="The variant to add (gid)."),
        fld("quantity", "number", "How many to add.", minimum=1),
        opt("notify_customer", "boolean", "Email the customer about the change."),
    ],
    keywords=["free gift", "add item", "add product to order"],
)
A(
    "Archive order",
    "orders",
    ["order"],
    "Archives (closes) an order.",
    [obj_id("order")],
    keywords=["close order"],
)
A(
    "Unarchive order",
    "orders",
    ["order"],
    "Unarchives (reopens) an order.",
    [obj_id("order")],
    keywords=["reopen order"],
)
A(
    "Cancel order",
    "orders",
    ["order"],
    "Cancels an order; does not refund, and restock is off by default.",
    [
        obj_id("order"),
        fld("reason", "enum", "Why it is cancelled.", enum=CANCEL_REASONS),
        opt("notify_customer", "boolean", "Email the customer."),
        opt("restock", "boolean", "Return the items to inventory (default false)."),
        opt("staff_note", doc="Internal note on the cancellation."),
    ],
    keywords=["void order", "fraud", "stop order"],
)
A(
    "Capture payment",
    "orders",
    ["order"],
    "Captures an authorized payment; only for orders with manual capture.",
    [
        obj_id("order"),
        opt("amount", "number", "Amount to capture; empty captures the total.", minimum=0),
    ],
    keywords=["charge", "collect payment", "authorize"],
)
A(
    "Mark order as paid",
    "orders",
    ["order"],
    "Marks an order with a pending payment as paid (manual payments).",
    [obj_id("order")],
    keywords=["paid manually", "bank transfer", "cash on delivery"],
)
A(
    "Send order invoice",
    "orders",
    ["order"],
    "Emails the customer an invoice for the order.",
    [
        obj_id("order"),
        opt("to", doc="Recipient; empty sends to the order's email."),
        opt("subject", doc="Subject (Liquid)."),
        opt("custom_message", doc="Message (Liquid)."),
    ],
    keywords=["bill", "payment link"],
)
A(
    "Update order note",
    "orders",
    ["order"],
    "Replaces or appends to an order's note.",
    [
        obj_id("order"),
        fld("note", doc="Note text (Liquid)."),
        opt("append", "boolean", "Append instead of replacing."),
    ],
    keywords=["comment", "add note"],
)
A(
    "Create order risk assessment",
    "orders",
    ["order"],
    "Records a fraud risk assessment on an order.",
    [
        obj_id("order"),
        fld("risk_level", "enum", "Assessed risk.", enum=["HIGH", "MEDIUM", "LOW", "NONE"]),
        fld("message", doc="Why (shown on the order)."),
        opt("source", doc="Who assessed it."),
    ],
    keywords=["fraud", "risk", "flag risky"],
)
A(
    "Remove order line item",
    "orders",
    ["order"],
    "Removes quantity of a line item from an order.",
    [
        obj_id("order"),
        fld("line_item_id", doc="The line item (gid)."),
        fld("quantity", "number", "How many to remove.", minimum=1),
        opt("restock", "boolean", "Return the items to inventory."),
    ],
)

A(
    "Send draft order invoice",
    "draft_orders",
    ["draftOrder"],
    "Emails the customer an invoice with a checkout link for a draft order.",
    [
        obj_id("draft_order"),
        opt("to", doc="Recipient; empty sends to the draft order's email."),
        opt("subject", doc="Subject (Liquid)."),
        opt("custom_message", doc="Message (Liquid)."),
    ],
    keywords=["quote", "payment link"],
)
A(
    "Update draft order note",
    "draft_orders",
    ["draftOrder"],
    "Replaces a draft order's note.",
    [obj_id("draft_order"), fld("note", doc="Note text (Liquid).")],
)
A(
    "Complete draft order",
    "draft_orders",
    ["draftOrder"],
    "Turns a draft order into an order.",
    [obj_id("draft_order"), opt("payment_pending", "boolean", "Leave the payment pending.")],
    keywords=["convert draft"],
)
A(
    "Delete draft order",
    "draft_orders",
    ["draftOrder"],
    "Deletes a draft order.",
    [obj_id("draft_order")],
)

HOLD_REASONS = [
    "AWAITING_PAYMENT",
    "HIGH_RISK_OF_FRAUD",
    "INCORRECT_ADDRESS",
    "INVENTORY_OUT_OF_STOCK",
    "OTHER",
]
FO = ["fulfillmentOrder", "order"]
FO_ID = fld(
    "fulfillment_order_id",
    "resource_id",
    "The fulfillment order, e.g. fulfillmentOrder.id or fulfillmentOrdersForeachitem.id.",
)
A(
    "Hold fulfillment order",
    "fulfillment",
    FO,
    "Puts a fulfillment order on hold.",
    [
        FO_ID,
        fld("reason", "enum", "Why it is held.", enum=HOLD_REASONS),
        opt("reason_notes", doc="Details for staff."),
        opt("notify_merchant", "boolean", "Notify the fulfillment service."),
    ],
    keywords=["pause shipping", "hold order", "stop fulfillment", "delay shipping"],
)
A(
    "Release fulfillment order hold",
    "fulfillment",
    FO,
    "Releases the holds on a fulfillment order.",
    [FO_ID],
    keywords=["unhold", "release hold", "resume shipping"],
)
A(
    "Move fulfillment order",
    "fulfillment",
    FO,
    "Moves a fulfillment order to another location.",
    [FO_ID, fld("new_location_id", doc="The location to fulfill from (gid).")],
    keywords=["change location", "warehouse"],
)
A(
    "Mark fulfillment order as fulfilled",
    "fulfillment",
    FO,
    "Creates a fulfillment for every remaining item of a fulfillment order.",
    [
        FO_ID,
        opt("notify_customer", "boolean", "Send the shipping confirmation."),
        opt("tracking_number", doc="Tracking number."),
        opt("tracking_company", doc="Carrier name."),
    ],
    python_name="mark_fulfilled",
    keywords=["fulfill", "ship", "complete fulfillment"],
)
A(
    "Submit fulfillment request",
    "fulfillment",
    FO,
    "Asks the fulfillment service to fulfill a fulfillment order.",
    [
        FO_ID,
        opt("message", doc="Message to the service."),
        opt("notify_customer", "boolean", "Notify the customer when fulfilled."),
    ],
    id="shopify::admin::fulfillment_order_submit_fulfillment_request",
    keywords=["3pl", "send to warehouse"],
)
A("Cancel fulfillment order", "fulfillment", FO, "Cancels a fulfillment order.", [FO_ID])
A(
    "Update fulfillment tracking",
    "fulfillment",
    ["fulfillment"],
    "Sets the tracking number and carrier of a fulfillment.",
    [
        obj_id("fulfillment"),
        fld("tracking_number", doc="Tracking number."),
        opt("tracking_company", doc="Carrier name."),
        opt("tracking_url", doc="Tracking URL."),
        opt("notify_customer", "boolean", "Send a shipping update."),
    ],
    keywords=["tracking number", "carrier"],
)

A("Cancel return", "returns", ["return"], "Cancels a return.", [obj_id("return")])
A(
    "Approve return request",
    "returns",
    ["return"],
    "Approves a requested return.",
    [obj_id("return"), opt("notify_customer", "boolean", "Email the customer.")],
    keywords=["accept return", "rma"],
)
A(
    "Decline return request",
    "returns",
    ["return"],
    "Declines a requested return.",
    [
        obj_id("return"),
        fld("decline_reason", "enum", "Why.", enum=["RETURN_PERIOD_ENDED", "FINAL_SALE", "OTHER"]),
        opt("decline_note", doc="Message to the customer."),
        opt("notify_customer", "boolean", "Email the customer."),
    ],
)
A("Close return", "returns", ["return"], "Closes a processed return.", [obj_id("return")])

A(
    "Add product to collections",
    "products",
    ["product"],
    "Adds a product to collections.",
    [obj_id("product"), fld("collection_ids", "string_list", "Collections to add it to (gids).")],
    keywords=["merchandising", "categorize", "collection"],
)
A(
    "Remove product from collections",
    "products",
    ["product"],
    "Removes a product from collections.",
    [
        fld("product_id", "resource_id", "The product, e.g. product.id."),
        fld("collection_ids", "string_list", "Collections to remove it from."),
    ],
    keywords=["collection", "sold out"],
)
A(
    "Hide product",
    "products",
    ["product"],
    "Unpublishes a product from the online store and other sales channels.",
    [obj_id("product"), opt("publication_ids", "string_list", "Only these channels; empty: all.")],
    keywords=["unpublish", "sold out", "remove from store"],
)
A(
    "Publish product",
    "products",
    ["product"],
    "Publishes a product to sales channels.",
    [obj_id("product"), opt("publication_ids", "string_list", "Only these channels; empty: all.")],
    keywords=["show product", "unhide", "make visible", "back in stock"],
)
A("Delete product", "products", ["product"], "Deletes a product.", [obj_id("product")])
A(
    "Delete product variant",
    "products",
    ["productVariant"],
    "Deletes a product variant.",
    [fld("variant_id", "resource_id", "The variant, e.g. productVariant.id.")],
)
A(
    "Update product status",
    "products",
    ["product"],
    "Sets a product's status.",
    [obj_id("product"), fld("status", "enum", "New status.", enum=ENUMS["ProductStatus"])],
    keywords=["archive product", "draft product", "activate product"],
)
A(
    "Update product variant price",
    "products",
    ["productVariant"],
    "Sets a variant's price and compare-at price.",
    [
        fld("variant_id", "resource_id", "The variant, e.g. productVariant.id."),
        fld("price", "number", "New price.", minimum=0),
        opt("compare_at_price", "number", "Compare-at price; empty clears it.", minimum=0),
    ],
    python_name="update_variant_price",
    keywords=["price change", "markdown", "sale price"],
)
A(
    "Adjust inventory quantity",
    "products",
    ["productVariant", "inventoryItem"],
    "Adds or subtracts available inventory of an item at a location.",
    [
        fld("inventory_item_id", "resource_id", "e.g. productVariant.inventoryItem.id."),
        fld("location_id", doc="The location (gid)."),
        fld("delta", "number", "Change in available quantity (negative subtracts)."),
        opt(
            "reason",
            "enum",
            "Reason recorded with the change.",
            enum=[
                "correction",
                "cycle_count_available",
                "damaged",
                "received",
                "restock",
                "shrinkage",
                "other",
            ],
        ),
    ],
    keywords=["stock", "inventory", "restock"],
)

A(
    "Delete customer",
    "customers",
    ["customer"],
    "Deletes a customer.",
    [obj_id("customer")],
    keywords=["gdpr", "remove customer"],
)
A(
    "Update customer note",
    "customers",
    ["customer", "order"],
    "Replaces or appends to a customer's note.",
    [
        obj_id("customer"),
        fld("note", doc="Note text (Liquid)."),
        opt("append", "boolean", "Append instead of replacing."),
    ],
)
A(
    "Send customer account invite",
    "customers",
    ["customer"],
    "Emails the customer an invitation to activate their account.",
    [
        obj_id("customer"),
        opt("subject", doc="Subject (Liquid)."),
        opt("custom_message", doc="Message (Liquid)."),
    ],
    python_name="send_account_invite",
    keywords=["activation email", "invite"],
)
A(
    "Update customer email marketing consent",
    "customers",
    ["customer", "order"],
    "Subscribes or unsubscribes a customer from email marketing.",
    [
        obj_id("customer"),
        fld("marketing_state", "enum", "New state.", enum=["SUBSCRIBED", "UNSUBSCRIBED"]),
        opt(
            "opt_in_level",
            "enum",
            "How consent was given.",
            enum=["SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"],
        ),
    ],
    python_name="update_email_consent",
    keywords=["newsletter", "unsubscribe", "opt in"],
)
A(
    "Update customer SMS marketing consent",
    "customers",
    ["customer", "order"],
    "Subscribes or unsubscribes a customer from SMS marketing.",
    [
        obj_id("customer"),
        fld("marketing_state", "enum", "New state.", enum=["SUBSCRIBED", "UNSUBSCRIBED"]),
    ],
    python_name="update_sms_consent",
    keywords=["text message", "opt in"],
)
A(
    "Issue store credit",
    "customers",
    ["customer", "order"],
    "Credits a customer's store credit account.",
    [
        obj_id("customer"),
        fld("amount", "number", "Amount to credit.", minimum=0),
        opt("expires_at", doc="ISO date the credit expires; empty: never."),
    ],
    keywords=["refund as credit", "reward", "compensation", "gift card"],
)

A(
    "Add catalogs to company location",
    "b2b",
    ["companyLocation"],
    "Gives a company location access to B2B catalogs.",
    [obj_id("company_location"), fld("catalog_ids", "string_list", "Catalogs to add (gids).")],
    keywords=["wholesale price list"],
)
A(
    "Remove catalogs from company location",
    "b2b",
    ["companyLocation"],
    "Removes B2B catalogs from a company location.",
    [obj_id("company_location"), fld("catalog_ids", "string_list", "Catalogs to remove.")],
)
A(
    "Update company location payment terms",
    "b2b",
    ["companyLocation"],
    "Sets the payment terms of a company location.",
    [
        obj_id("company_location"),
        fld(
            "payment_terms",
            "enum",
            "Terms template.",
            enum=[
                "DUE_ON_RECEIPT",
                "DUE_ON_FULFILLMENT",
                "NET_7",
                "NET_15",
                "NET_30",
                "NET_45",
                "NET_60",
                "NET_90",
            ],
        ),
        opt("deposit_percentage", "number", "Deposit due at checkout.", minimum=0, maximum=99),
    ],
    python_name="update_payment_terms",
    keywords=["net 30", "invoice terms"],
)
A(
    "Remove company location payment terms",
    "b2b",
    ["companyLocation"],
    "Removes the payment terms of a company location.",
    [obj_id("company_location")],
    python_name="remove_payment_terms",
)
A(
    "Send B2B access email",
    "b2b",
    ["companyContact"],
    "Emails a company contact an invitation to the B2B store.",
    [obj_id("company_contact")],
    keywords=["wholesale invite"],
)
A(
    "Send payment reminder",
    "b2b",
    ["paymentSchedule", "order"],
    "Emails the customer a reminder that a payment is due.",
    [fld("payment_schedule_id", "resource_id", "e.g. paymentSchedule.id.")],
    keywords=["overdue invoice", "dunning", "net 30", "remind to pay"],
)
A(
    "Assign company contact role",
    "b2b",
    ["companyContact"],
    "Gives a company contact a role at a company location.",
    [
        obj_id("company_contact"),
        obj_id("company_location"),
        fld("role", "enum", "Role.", enum=["Location admin", "Ordering only"]),
    ],
)

SUB = ["subscriptionContract"]
A(
    "Create subscription billing attempt",
    "subscriptions",
    SUB,
    "Charges a subscription contract now (for example to retry a failed renewal).",
    [obj_id("subscription_contract")],
    python_name="retry_subscription_billing",
    keywords=["dunning", "retry payment", "charge again"],
)
A(
    "Pause subscription contract",
    "subscriptions",
    SUB,
    "Pauses a subscription.",
    [obj_id("subscription_contract")],
    python_name="pause_subscription",
)
A(
    "Cancel subscription contract",
    "subscriptions",
    SUB,
    "Cancels a subscription.",
    [obj_id("subscription_contract")],
    python_name="cancel_subscription",
)
A(
    "Activate subscription contract",
    "subscriptions",
    SUB,
    "Reactivates a paused subscription.",
    [obj_id("subscription_contract")],
    python_name="activate_subscription",
)

A(
    "Activate discount",
    "discounts",
    ["discount"],
    "Activates a discount.",
    [obj_id("discount")],
    keywords=["start promotion"],
)
A(
    "Deactivate discount",
    "discounts",
    ["discount"],
    "Deactivates a discount.",
    [obj_id("discount")],
    keywords=["end promotion", "expire coupon"],
)

A(
    "Create metaobject entry",
    "metaobjects",
    [],
    "Creates a metaobject entry.",
    [
        fld("type", doc="Metaobject definition type."),
        opt("handle", doc="Handle; empty: generated."),
        fld("fields", "json", 'Field values as JSON, e.g. {"title": "..."}.'),
    ],
    keywords=["custom data"],
)
A(
    "Update metaobject entry",
    "metaobjects",
    ["metaobject"],
    "Updates a metaobject entry.",
    [obj_id("metaobject"), fld("fields", "json", "Field values to set, as JSON.")],
)
A(
    "Delete metaobject entry",
    "metaobjects",
    ["metaobject"],
    "Deletes a metaobject entry.",
    [obj_id("metaobject")],
)

METAFIELD_OBJECTS = [
    ("collection", ["collection"]),
    ("company", ["company"]),
    ("customer", ["customer", "order"]),
    ("draft_order", ["draftOrder"]),
    ("order", ["order"]),
    ("product", ["product"]),
    ("product_variant", ["productVariant"]),
    ("shop", []),
]
METAFIELD_KEYWORDS = [
    "custom field",
    "save attribute",
    "store value",
    "cart attribute",
    "note attribute",
]
# Real exports write "Update order metafield" in two versions (catalog-facts.md): 0.1 with
# separate namespace/key/value_type fields, and 1.0 with the definition as one JSON field. The
# newer one is declared last, so it is the version the DSL writes without naming it.
A(
    "Update order metafield",
    "metafields",
    ["order"],
    "Sets a metafield on the order.",
    [
        obj_id("order"),
        fld("namespace", doc="Metafield namespace."),
        fld("key", doc="Metafield key."),
        fld("value", doc="Value (Liquid)."),
        fld("value_type", doc="Metafield type, e.g. date or single_line_text_field."),
    ],
    id="shopify::admin::add_order_metafield",
    keywords=METAFIELD_KEYWORDS,
)
for obj, req in METAFIELD_OBJECTS:
    words = obj.replace("_", " ")
    target = [] if obj == "shop" else [obj_id(obj)]
    if obj == "order":
        A(
            "Update order metafield",
            "metafields",
            req,
            "Sets a metafield on the order.",
            [
                *target,
                fld(
                    "metafield",
                    "json",
                    'The definition as {"namespace": ..., "key": ..., "type": ...}.',
                ),
                fld("value", doc="Value (Liquid)."),
            ],
            id="shopify::admin::add_order_metafield",
            version="1.0",
            keywords=METAFIELD_KEYWORDS,
        )
    else:
        A(
            f"Update {words} metafield",
            "metafields",
            req,
            f"Sets a metafield on the {words}.",
            [
                *target,
                fld("namespace", doc="Metafield namespace."),
                fld("key", doc="Metafield key."),
                fld("value", doc="Value (Liquid)."),
                fld("type", "enum", "Metafield type.", enum=METAFIELD_TYPES),
            ],
            keywords=METAFIELD_KEYWORDS,
        )
    A(
        f"Remove {words} metafield",
        "metafields",
        req,
        f"Deletes a metafield from the {words}.",
        [*target, fld("namespace", doc="Metafield namespace."), fld("key", doc="Metafield key.")],
        keywords=["custom field", "clear"],
    )

A(
    "Create redirect URL",
    "redirects",
    ["shop"],
    "Creates a URL redirect in the online store.",
    [
        fld("path", doc="Old path."),
        fld("target", doc="Where it redirects to."),
        opt("overwrite_target", "boolean", "Replace an existing redirect of the same path."),
    ],
    id="shopify::admin::created_redirect_url",
    keywords=["301", "seo", "broken link", "old url", "archived product", "moved page"],
)
A(
    "Delete redirect URLs",
    "redirects",
    ["shop"],
    "Deletes URL redirects by path.",
    [fld("paths", "string_list", "Paths whose redirects are deleted.")],
    keywords=["301", "seo"],
)

A(
    "Send internal email",
    "messaging",
    [],
    "Sends an email to staff.",
    [
        fld("address", doc="Recipient addresses."),
        fld("subject", doc="Subject (Liquid)."),
        fld("message", doc="Body (Liquid)."),
    ],
    id="shopify::flow::send_email",
    keywords=["notify", "alert", "email staff", "notification", "mail", "message team"],
)
A(
    "Send marketing email",
    "messaging",
    ["customer", "order"],
    "Sends a Shopify Email marketing activity to the customer.",
    [obj_id("customer"), fld("marketing_activity_id", doc="The email activity to send (gid).")],
    id="shopify::email::execute_marketing_activity",
    keywords=["customer email", "newsletter", "campaign", "win back", "thank you email"],
)
A(
    "Send HTTP request",
    "messaging",
    [],
    "Sends an HTTP request to a URL.",
    [
        fld("method", "enum", "HTTP method.", enum=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        fld("url", doc="URL."),
        opt("headers", "json", "Headers as [[name, value], ...]."),
        opt("body", doc="Body (Liquid)."),
        opt("on_client_error", "enum", "On a 4xx.", enum=["retry", "fail", "ignore"]),
        opt("on_server_error", "enum", "On a 5xx.", enum=["retry", "fail", "ignore"]),
    ],
    id="shopify::flow::send_http",
    version="2.0",
    provides=["sendHttpRequest"],
    keywords=["webhook", "api", "erp", "post", "integration", "zapier", "external system"],
)
A(
    "Send Admin API request",
    "messaging",
    [],
    "Runs any Admin API mutation; its result is in scope as sendAdminApiRequest.",
    [fld("api_call", "json", 'The call as {"name": mutation, "blob": JSON text of its input}.')],
    id="shopify::admin::admin_api_operation",
    python_name="send_admin_api_request",
    provides=["sendAdminApiRequest"],
    keywords=["graphql", "mutation", "custom action", "api"],
)
A(
    "Send Shopify alert for errors",
    "error_monitoring",
    [],
    "Sends the shop's staff a Shopify admin alert when a workflow fails.",
    [opt("message", doc="Extra text for the alert (Liquid).")],
    id="shopify::iris::send_shopify_alert_for_errors",
    python_name="send_error_alert",
    keywords=["notify", "workflow error", "failure", "monitoring"],
)

A(
    "Create discount code",
    "discounts",
    [],
    "Creates a basic discount code.",
    [
        fld("code", doc="The code customers enter (Liquid), e.g. THANKS-{{order.name}}."),
        fld(
            "value_type", "enum", "Percentage or fixed amount.", enum=["PERCENTAGE", "FIXED_AMOUNT"]
        ),
        fld("value", "number", "Percent (0-100) or amount off.", minimum=0),
        opt("customer_id", "resource_id", "Only this customer may use it, e.g. customer.id."),
        opt("usage_limit", "number", "Total uses allowed.", minimum=1),
        opt("ends_at", doc="ISO date-time it expires; empty: never."),
    ],
    keywords=["coupon", "promo code", "voucher", "thank you discount", "win back"],
)
A(
    "Create gift card",
    "customers",
    [],
    "Issues a gift card, optionally to a customer.",
    [
        fld("initial_value", "number", "Balance.", minimum=0),
        opt("customer_id", "resource_id", "Recipient, e.g. customer.id."),
        opt("note", doc="Internal note."),
        opt("expires_on", doc="ISO date; empty: never."),
    ],
    keywords=["voucher", "store credit", "reward", "compensation"],
)
A(
    "Update order shipping address",
    "orders",
    ["order"],
    "Replaces an order's shipping address.",
    [obj_id("order"), fld("address", "json", "The address as JSON (address1, city, zip, ...).")],
    keywords=["change address", "fix address"],
)
A(
    "Resend order confirmation",
    "orders",
    ["order"],
    "Sends the customer the order confirmation email again.",
    [obj_id("order")],
    keywords=["receipt", "order email"],
)
A(
    "Send shipping confirmation",
    "fulfillment",
    ["fulfillment"],
    "Sends the customer the shipping confirmation email of a fulfillment.",
    [obj_id("fulfillment")],
    keywords=["tracking email", "shipped email"],
)
A(
    "Update inventory item cost",
    "products",
    ["inventoryItem", "productVariant"],
    "Sets the unit cost of an inventory item.",
    [
        fld("inventory_item_id", "resource_id", "e.g. productVariant.inventoryItem.id."),
        fld("cost", "number", "Unit cost.", minimum=0),
    ],
    keywords=["cogs", "margin"],
)
A(
    "Add customer to company",
    "b2b",
    ["customer", "order"],
    "Makes a customer a contact of a B2B company.",
    [
        obj_id("customer"),
        obj_id("company", "The company (gid)."),
        opt("location_ids", "string_list", "Locations the contact may order for."),
    ],
    keywords=["wholesale", "b2b"],
)
A(
    "Add product variant",
    "products",
    ["product"],
    "Adds a variant to a product.",
    [
        obj_id("product"),
        fld("option_values", "string_list", 'Option values, e.g. ["Red", "L"].'),
        fld("price", "number", "Price.", minimum=0),
        opt("sku", doc="SKU."),
    ],
    keywords=["new variant", "size", "color"],
)
A(
    "Update product description",
    "products",
    ["product"],
    "Replaces a product's description.",
    [obj_id("product"), fld("description_html", doc="HTML (Liquid).")],
    keywords=["copy", "seo"],
)
A(
    "Create customer",
    "customers",
    [],
    "Creates a customer.",
    [
        fld("email", doc="Email."),
        opt("first_name", doc="First name."),
        opt("last_name", doc="Last name."),
        opt("tags", "string_list", "Tags."),
    ],
    keywords=["new customer", "sign up"],
)
A(
    "Create draft order",
    "draft_orders",
    ["customer", "order"],
    "Creates a draft order for a customer.",
    [
        obj_id("customer"),
        fld("line_items", "json", "Line items as JSON [{variantId, quantity}]."),
        opt("note", doc="Note."),
        opt("tags", "string_list", "Tags."),
    ],
    keywords=["quote", "reorder", "replacement order"],
)

# --- logic ----------------------------------------------------------------------------------

task(
    id="shopify::flow::condition",
    type="CONDITION",
    label="Condition",
    description="Checks whether a condition is true and branches.",
    area="logic",
    fields=[fld("condition", "condition", "The condition tree.")],
    keywords=[
        "if",
        "else",
        "check",
        "only when",
        "only if",
        "unless",
        "filter",
        "branch",
        "greater than",
        "more than",
        "less than",
        "over",
        "under",
        "above",
        "below",
        "equal",
        "contains",
        "compare",
        "threshold",
    ],
)
task(
    id="shopify::flow::foreach",
    type="FOREACH",
    label="For each",
    description="Runs the loop body once per item of a list (up to 100).",
    area="logic",
    python_name="foreach",
    fields=[fld("listpath", "list_path", "Path of the list to iterate.")],
    keywords=["loop", "each", "every item", "iterate", "line items"],
)
task(
    id="shopify::flow::wait",
    type="WAIT",
    label="Wait",
    description="Pauses the workflow for a duration (up to 90 days).",
    area="logic",
    fields=[fld("wait_duration", "duration", "ISO-8601 duration, e.g. PT30M or P7D.")],
    keywords=["delay", "later", "after", "pause", "days", "minutes", "hours"],
)
A(
    "Count",
    "logic",
    [],
    "Counts the items of a list, such as the result of a Get data step.",
    [fld("listpath", "list_path", "The list to count, e.g. getOrderData.")],
    id="shopify::flow::count",
    provides=["count"],
    keywords=["number of", "how many", "total"],
)
A(
    "Sum",
    "logic",
    [],
    "Adds up a numeric field over the items of a list.",
    [
        fld("listpath", "list_path", "The list, e.g. getOrderData."),
        fld(
            "value_path",
            doc="Path of the number within each item, e.g. totalPriceSet.shopMoney.amount.",
        ),
    ],
    id="shopify::flow::sum",
    provides=["sum"],
    keywords=["total", "add up", "revenue", "spend"],
)
A(
    "Run code",
    "logic",
    [],
    "Runs JavaScript main(input) over data selected by a GraphQL query; no imports, network or "
    "clock.",
    [
        fld("input", doc="GraphQL query selecting the input."),
        fld("script", doc="JavaScript defining main(input)."),
        fld("output_schema", doc="GraphQL SDL of the returned object."),
    ],
    id="shopify::flow::run_code",
    provides=["runCode"],
    keywords=["javascript", "script", "custom logic", "calculate", "parse", "transform"],
)
A(
    "Log output",
    "logic",
    [],
    "Writes a message to the workflow run log.",
    [fld("message", doc="Text to log (Liquid).")],
    id="shopify::flow::log_output",
    keywords=["debug", "print", "record"],
)

# --- get data -------------------------------------------------------------------------------


def get_data(
    noun: str,
    plural: str,
    type_name: str,
    area: str,
    sort_keys: list[str],
    keywords: list[str],
    *,
    fetch: str | None = None,
    label: str | None = None,
) -> None:
    """Declare a Get data step: 0-100 records found by a search query.

    Fields and version are those real exports write for Get order data (`fetch::orders` v1,
    catalog-facts.md); the other Get data steps are the same editor component and share them.
    """
    label = label or f"Get {noun} data"
    fields = [
        opt(
            "sort_by",
            "json",
            'Sort order as {"sortKey": ' + " | ".join(sort_keys) + ', "order": "ASCENDING" | '
            '"DESCENDING"}.',
        ),
        fld(
            "max_root_records",
            "number",
            "How many records to return (0-100).",
            minimum=0,
            maximum=100,
        ),
        opt("query", doc=f"Search query over {plural}, e.g. tag:vip; invalid filters are ignored."),
    ]
    if type_name == "Metaobject":
        fields.insert(0, fld("type", doc="Metaobject definition type."))
    task(
        version="v1",
        id=f"shopify::flow::fetch::{fetch or plural.replace(' ', '_')}",
        type="ACTION",
        label=label,
        description=f"Gets up to 100 {plural} matching a search query.",
        area="get_data",
        fields=fields,
        provides=[camel(label)],
        keywords=["get data", "find", "search", "look up", "query", "list", *keywords],
    )


get_data(
    "order",
    "orders",
    "Order",
    "orders",
    ["CREATED_AT", "PROCESSED_AT", "TOTAL_PRICE", "ID"],
    ["unfulfilled orders", "recent orders"],
)
get_data(
    "customer",
    "customers",
    "Customer",
    "customers",
    ["CREATED_AT", "UPDATED_AT", "NAME", "ID"],
    ["lapsed customers", "inactive", "vip"],
)
get_data(
    "product",
    "products",
    "Product",
    "products",
    ["CREATED_AT", "UPDATED_AT", "TITLE", "INVENTORY_TOTAL", "ID"],
    ["catalog"],
)
get_data(
    "product variant",
    "product variants",
    "ProductVariant",
    "products",
    ["SKU", "INVENTORY_QUANTITY", "ID"],
    ["variants", "sku"],
)
get_data(
    "collection", "collections", "Collection", "collections", ["TITLE", "UPDATED_AT", "ID"], []
)
get_data(
    "draft order",
    "draft orders",
    "DraftOrder",
    "draft_orders",
    ["UPDATED_AT", "NUMBER", "ID"],
    ["quotes"],
)
get_data(
    "discount",
    "discounts",
    "Discount",
    "discounts",
    ["CREATED_AT", "ENDS_AT", "ID"],
    ["coupons", "promotions"],
)
get_data(
    "fulfillment order",
    "fulfillment orders",
    "FulfillmentOrder",
    "fulfillment",
    ["CREATED_AT", "FULFILL_AT", "ID"],
    ["held orders", "shipments"],
)
get_data(
    "company", "companies", "Company", "b2b", ["CREATED_AT", "NAME", "ID"], ["b2b", "wholesale"]
)
get_data(
    "metaobject",
    "metaobject entries",
    "Metaobject",
    "metaobjects",
    ["UPDATED_AT", "ID"],
    ["custom data"],
    fetch="metaobjects",
    label="Get metaobject entries",
)
task(
    id="shopify::flow::execute_shopifyql",
    type="ACTION",
    label="Get analytics data",
    description="Runs a ShopifyQL query over the shop's analytics.",
    area="get_data",
    python_name="get_analytics_data",
    fields=[fld("query", doc="ShopifyQL, e.g. FROM sales SHOW total_sales SINCE -7d.")],
    provides=["getAnalyticsData"],
    keywords=["report", "sales report", "analytics", "shopifyql", "revenue", "metrics"],
)

# --- connectors from apps (their own namespaces) --------------------------------------------


def app(
    namespace: str,
    label: str,
    type: str,
    description: str,
    python_name: str,
    fields: list[dict[str, Any]] | None = None,
    provides: list[str] | None = None,
    requires: list[str] | None = None,
    keywords: list[str] | None = None,
) -> None:
    """Declare a third-party app's task: id `<app>::<snake of label>`."""
    task(
        id=f"{namespace}::{snake(label)}",
        type=type,
        label=label,
        description=description,
        area="connectors",
        python_name=python_name,
        fields=fields,
        provides=[*(provides or []), *(["shop"] if type == "TRIGGER" else [])],
        requires=requires,
        keywords=keywords,
    )


app(
    "slack",
    "Send message",
    "ACTION",
    "Posts a message to a Slack channel.",
    "send_slack_message",
    [fld("channel", doc="Channel name or id, e.g. #orders."), fld("message", doc="Text (Liquid).")],
    keywords=["slack", "chat", "notify team", "alert", "ping"],
)
app(
    "slack",
    "Send direct message",
    "ACTION",
    "Sends a Slack direct message to a person.",
    "send_slack_dm",
    [fld("user_email", doc="The Slack user's email."), fld("message", doc="Text (Liquid).")],
    keywords=["slack", "dm", "notify"],
)
app(
    "google_sheets",
    "Add row",
    "ACTION",
    "Appends a row to a Google Sheets spreadsheet.",
    "add_sheet_row",
    [
        fld("spreadsheet_id", doc="Spreadsheet id from its URL."),
        fld("sheet_name", doc="Tab name."),
        fld("row", "string_list", "Cell values (Liquid)."),
    ],
    keywords=["google sheets", "spreadsheet", "log to sheet", "export", "record", "excel"],
)
app(
    "google_sheets",
    "Update row",
    "ACTION",
    "Overwrites a row of a Google Sheets spreadsheet.",
    "update_sheet_row",
    [
        fld("spreadsheet_id", doc="Spreadsheet id."),
        fld("sheet_name", doc="Tab name."),
        fld("row_number", "number", "1-based row number.", minimum=1),
        fld("row", "string_list", "Cell values (Liquid)."),
    ],
    keywords=["google sheets", "spreadsheet"],
)
app(
    "microsoft_teams",
    "Send message",
    "ACTION",
    "Posts a message to a Microsoft Teams channel.",
    "send_teams_message",
    [
        fld("team_id", doc="Team."),
        fld("channel_id", doc="Channel."),
        fld("message", doc="Text (Liquid)."),
    ],
    keywords=["teams", "chat", "notify team"],
)
app(
    "discord",
    "Send message",
    "ACTION",
    "Posts a message to a Discord channel via webhook.",
    "send_discord_message",
    [fld("webhook_url", doc="Channel webhook URL."), fld("content", doc="Text (Liquid).")],
    keywords=["discord", "chat", "community"],
)
app(
    "twilio",
    "Send SMS",
    "ACTION",
    "Sends a text message through Twilio.",
    "send_sms",
    [
        fld("to", doc="Phone number in E.164, e.g. {{order.phone}}."),
        fld("body", doc="Text (Liquid)."),
    ],
    keywords=["text message", "sms", "phone"],
)
app(
    "asana",
    "Create task",
    "ACTION",
    "Creates a task in an Asana project.",
    "create_asana_task",
    [
        fld("project_id", doc="Project."),
        fld("name", doc="Task name (Liquid)."),
        opt("notes", doc="Description (Liquid)."),
        opt("due_on", doc="Due date, YYYY-MM-DD."),
    ],
    keywords=["todo", "project management", "assign"],
)
app(
    "trello",
    "Create card",
    "ACTION",
    "Creates a card on a Trello list.",
    "create_trello_card",
    [
        fld("list_id", doc="List."),
        fld("name", doc="Card title (Liquid)."),
        opt("description", doc="Card text (Liquid)."),
    ],
    keywords=["board", "kanban", "todo"],
)
app(
    "airtable",
    "Create record",
    "ACTION",
    "Creates a record in an Airtable table.",
    "create_airtable_record",
    [
        fld("base_id", doc="Base."),
        fld("table_name", doc="Table."),
        fld("fields", "json", "Field values as JSON (Liquid inside strings)."),
    ],
    keywords=["database", "spreadsheet", "log"],
)
app(
    "hubspot",
    "Create or update contact",
    "ACTION",
    "Upserts a contact in HubSpot CRM.",
    "upsert_crm_contact",
    [
        fld("email", doc="Contact email."),
        opt("first_name", doc="First name."),
        opt("last_name", doc="Last name."),
        opt("properties", "json", "Extra properties as JSON."),
    ],
    requires=["customer", "order"],
    keywords=["crm", "sync customer", "contact"],
)
app(
    "xero",
    "Create invoice",
    "ACTION",
    "Creates an accounting invoice in Xero for an order.",
    "create_xero_invoice",
    [
        obj_id("order"),
        opt("account_code", doc="Sales account code."),
        opt("status", "enum", "Invoice status.", enum=["DRAFT", "SUBMITTED", "AUTHORISED"]),
    ],
    requires=["order"],
    keywords=["accounting", "bookkeeping", "invoice"],
)

LOYALTY = "loyalty_rewards"
app(
    LOYALTY,
    "Award points",
    "ACTION",
    "Gives a customer loyalty points.",
    "award_loyalty_points",
    [
        obj_id("customer"),
        fld("points", "number", "Points to award.", minimum=1),
        opt("reason", doc="Shown in the customer's points history."),
    ],
    requires=["customer", "order"],
    keywords=["loyalty", "rewards", "bonus points", "give points", "earn"],
)
app(
    LOYALTY,
    "Deduct points",
    "ACTION",
    "Takes loyalty points away from a customer.",
    "deduct_loyalty_points",
    [
        obj_id("customer"),
        fld("points", "number", "Points to deduct.", minimum=1),
        opt("reason", doc="Shown in the customer's points history."),
    ],
    requires=["customer", "order"],
    keywords=["loyalty", "rewards", "remove points", "refund"],
)
app(
    LOYALTY,
    "Change VIP tier",
    "ACTION",
    "Moves a customer to a loyalty VIP tier.",
    "set_loyalty_tier",
    [obj_id("customer"), fld("tier_name", doc="Tier name, e.g. Gold.")],
    requires=["customer", "order"],
    keywords=["loyalty", "vip", "tier", "upgrade"],
)
app(
    LOYALTY,
    "Points balance changed",
    "TRIGGER",
    "Starts when a customer's loyalty points balance changes.",
    "loyalty_points_changed",
    provides=["customer", "pointsChange", "pointsBalance"],
    keywords=["loyalty", "rewards"],
)
app(
    LOYALTY,
    "VIP tier changed",
    "TRIGGER",
    "Starts when a customer moves to another VIP tier.",
    "loyalty_tier_changed",
    provides=["customer", "tierName"],
    keywords=["loyalty", "vip"],
)

EMAIL_APP = "email_marketing"
app(
    EMAIL_APP,
    "Send transactional email",
    "ACTION",
    "Sends a customer an email from a template of the email app.",
    "send_app_email",
    [
        fld("to", doc="Recipient, e.g. {{customer.email}}."),
        fld("template_id", doc="The app's email template."),
        opt("variables", "json", "Template variables as JSON."),
    ],
    requires=["customer", "order"],
    keywords=["customer email", "email customer", "thank you email", "follow up", "review request"],
)
app(
    EMAIL_APP,
    "Add subscriber to list",
    "ACTION",
    "Adds an email address to a mailing list.",
    "add_to_email_list",
    [fld("email", doc="Address, e.g. {{customer.email}}."), fld("list_id", doc="List.")],
    requires=["customer", "order"],
    keywords=["newsletter", "audience", "subscribe"],
)
app(
    EMAIL_APP,
    "Remove subscriber from list",
    "ACTION",
    "Removes an email address from a mailing list.",
    "remove_from_email_list",
    [fld("email", doc="Address."), fld("list_id", doc="List.")],
    requires=["customer", "order"],
    keywords=["newsletter", "unsubscribe"],
)
app(
    EMAIL_APP,
    "Track event",
    "ACTION",
    "Records a custom event on a subscriber's profile.",
    "track_email_event",
    [
        fld("email", doc="Address."),
        fld("event_name", doc="Event name."),
        opt("properties", "json", "Event properties as JSON."),
    ],
    requires=["customer", "order"],
    keywords=["email flow", "segment", "metric"],
)
app(
    EMAIL_APP,
    "Subscriber joined list",
    "TRIGGER",
    "Starts when a customer subscribes to a list in the email app.",
    "email_list_joined",
    provides=["customer", "listName"],
    keywords=["newsletter", "subscribe"],
)

REVIEWS = "product_reviews"
app(
    REVIEWS,
    "Review created",
    "TRIGGER",
    "Starts when a customer posts a product review.",
    "review_created",
    provides=["review", "product", "customer"],
    keywords=["rating", "feedback", "bad review", "stars"],
)
app(
    REVIEWS,
    "Request review",
    "ACTION",
    "Emails the customer a review request for an order.",
    "request_review",
    [obj_id("order"), opt("delay_days", "number", "Days to wait.", minimum=0)],
    requires=["order"],
    keywords=["feedback", "ask for review", "rating"],
)
app(
    REVIEWS,
    "Publish review",
    "ACTION",
    "Publishes a pending review on the storefront.",
    "publish_review",
    [obj_id("review")],
    requires=["review"],
    keywords=["approve review"],
)

HELPDESK = "helpdesk"
app(
    HELPDESK,
    "Create ticket",
    "ACTION",
    "Opens a support ticket in the helpdesk.",
    "create_support_ticket",
    [
        fld("subject", doc="Subject (Liquid)."),
        fld("body", doc="Message (Liquid)."),
        opt("customer_email", doc="Requester."),
        opt("priority", "enum", "Priority.", enum=["low", "normal", "high", "urgent"]),
    ],
    keywords=["support", "customer service", "zendesk", "gorgias"],
)
app(
    HELPDESK,
    "Ticket created",
    "TRIGGER",
    "Starts when a support ticket is opened.",
    "ticket_created",
    provides=["ticket", "customer"],
    keywords=["support", "complaint"],
)
app(
    HELPDESK,
    "Add ticket tags",
    "ACTION",
    "Adds tags to a support ticket.",
    "add_ticket_tags",
    [obj_id("ticket"), fld("tags", "string_list", "Tags to add.")],
    requires=["ticket"],
    keywords=["support", "tag"],
)

SHIPPING = "shipping_labels"
app(
    SHIPPING,
    "Shipment delivered",
    "TRIGGER",
    "Starts when a carrier marks a shipment delivered.",
    "shipment_delivered",
    provides=["shipment", "order"],
    keywords=["delivered", "delivery", "tracking"],
)
app(
    SHIPPING,
    "Shipment exception",
    "TRIGGER",
    "Starts when a carrier reports a delivery problem.",
    "shipment_exception",
    provides=["shipment", "order"],
    keywords=["lost package", "delayed", "failed delivery"],
)
app(
    SHIPPING,
    "Create shipping label",
    "ACTION",
    "Buys a shipping label for an order.",
    "create_shipping_label",
    [
        obj_id("order"),
        opt("service", doc="Carrier service code."),
        opt("package", doc="Package preset name."),
    ],
    requires=["order"],
    keywords=["label", "postage", "carrier"],
)

WISHLIST = "wishlist"
app(
    WISHLIST,
    "Wishlist item back in stock",
    "TRIGGER",
    "Starts when a product on a customer's wishlist is back in stock.",
    "wishlist_item_restocked",
    provides=["customer", "product"],
    keywords=["wishlist", "back in stock", "notify me"],
)
app(
    WISHLIST,
    "Item added to wishlist",
    "TRIGGER",
    "Starts when a customer adds a product to their wishlist.",
    "wishlist_item_added",
    provides=["customer", "product"],
    keywords=["wishlist", "favorite", "save for later"],
)

SUBS_APP = "subscriptions_app"
app(
    SUBS_APP,
    "Skip next order",
    "ACTION",
    "Skips the next delivery of a subscription.",
    "skip_subscription_order",
    [obj_id("subscription_contract")],
    requires=["subscriptionContract"],
    keywords=["subscription", "skip delivery"],
)
app(
    SUBS_APP,
    "Subscription cancelled",
    "TRIGGER",
    "Starts when a customer cancels a subscription in the subscriptions app.",
    "subscription_cancelled",
    provides=["subscriptionContract", "customer"],
    keywords=["churn", "cancel subscription"],
)

FRAUD = "fraud_filter"
app(
    FRAUD,
    "Fraud check completed",
    "TRIGGER",
    "Starts when the fraud app finishes screening an order.",
    "fraud_check_completed",
    provides=["order"],
    keywords=["fraud", "risk", "screening"],
)
app(
    FRAUD,
    "Flag order for review",
    "ACTION",
    "Puts an order in the fraud app's review queue.",
    "flag_order_for_review",
    [obj_id("order"), opt("reason", doc="Why.")],
    requires=["order"],
    keywords=["fraud", "manual review", "suspicious"],
)

app(
    "sms_marketing",
    "Subscribe to SMS",
    "ACTION",
    "Subscribes a phone number to SMS marketing.",
    "subscribe_to_sms",
    [fld("phone", doc="Phone, e.g. {{customer.phone}}."), opt("list_id", doc="List.")],
    requires=["customer", "order"],
    keywords=["text message", "sms", "opt in"],
)
app(
    "sms_marketing",
    "SMS subscriber added",
    "TRIGGER",
    "Starts when a customer subscribes to SMS marketing in the app.",
    "sms_subscriber_added",
    provides=["customer"],
    keywords=["sms", "text message", "opt in"],
)
app(
    "whatsapp",
    "Send template message",
    "ACTION",
    "Sends an approved WhatsApp template message.",
    "send_whatsapp_message",
    [
        fld("to", doc="Phone in E.164."),
        fld("template_name", doc="Approved template."),
        opt("parameters", "string_list", "Template parameters (Liquid)."),
    ],
    requires=["customer", "order"],
    keywords=["whatsapp", "chat", "message customer"],
)
app(
    "gmail",
    "Send email",
    "ACTION",
    "Sends an email from a connected Gmail account.",
    "send_gmail",
    [
        fld("to", doc="Recipients."),
        fld("subject", doc="Subject (Liquid)."),
        fld("body", doc="Body (Liquid)."),
    ],
    keywords=["gmail", "email", "mail"],
)
app(
    "meta_ads",
    "Add to custom audience",
    "ACTION",
    "Adds a customer to a Meta (Facebook/Instagram) custom audience.",
    "add_to_ad_audience",
    [fld("audience_id", doc="Audience."), fld("email", doc="e.g. {{customer.email}}.")],
    requires=["customer", "order"],
    keywords=["facebook", "instagram", "retargeting", "ads"],
)
app(
    "meta_ads",
    "Send conversion event",
    "ACTION",
    "Sends a server-side conversion event to Meta.",
    "send_meta_conversion",
    [
        fld("event_name", "enum", "Event.", enum=["Purchase", "Lead", "CompleteRegistration"]),
        opt("value", "number", "Event value.", minimum=0),
    ],
    requires=["order", "customer"],
    keywords=["facebook", "pixel", "capi", "ads"],
)
app(
    "google_analytics",
    "Send event",
    "ACTION",
    "Sends a GA4 event (measurement protocol).",
    "send_ga4_event",
    [fld("event_name", doc="Event name."), opt("params", "json", "Event parameters as JSON.")],
    keywords=["analytics", "tracking", "ga4"],
)
app(
    "pagerduty",
    "Create incident",
    "ACTION",
    "Opens a PagerDuty incident.",
    "create_pagerduty_incident",
    [
        fld("service_id", doc="Service."),
        fld("title", doc="Title (Liquid)."),
        opt("urgency", "enum", "Urgency.", enum=["high", "low"]),
    ],
    keywords=["on call", "incident", "alert", "monitoring", "page"],
)
app(
    "notion",
    "Create page",
    "ACTION",
    "Creates a page in a Notion database.",
    "create_notion_page",
    [
        fld("database_id", doc="Database."),
        fld("title", doc="Title (Liquid)."),
        opt("properties", "json", "Properties as JSON."),
    ],
    keywords=["notes", "wiki", "log"],
)
app(
    "jira",
    "Create issue",
    "ACTION",
    "Creates a Jira issue.",
    "create_jira_issue",
    [
        fld("project_key", doc="Project key."),
        fld("summary", doc="Summary (Liquid)."),
        opt("description", doc="Description (Liquid)."),
        opt("issue_type", "enum", "Type.", enum=["Task", "Bug", "Story"]),
    ],
    keywords=["ticket", "bug", "engineering"],
)
app(
    "monday",
    "Create item",
    "ACTION",
    "Creates an item on a monday.com board.",
    "create_monday_item",
    [
        fld("board_id", doc="Board."),
        fld("item_name", doc="Name (Liquid)."),
        opt("column_values", "json", "Column values as JSON."),
    ],
    keywords=["board", "todo"],
)
app(
    "airtable",
    "Update record",
    "ACTION",
    "Updates a record in an Airtable table.",
    "update_airtable_record",
    [
        fld("base_id", doc="Base."),
        fld("table_name", doc="Table."),
        fld("record_id", doc="Record."),
        fld("fields", "json", "Field values as JSON."),
    ],
    keywords=["database", "spreadsheet"],
)
app(
    "quickbooks",
    "Create sales receipt",
    "ACTION",
    "Records an order as a sales receipt in QuickBooks.",
    "create_sales_receipt",
    [obj_id("order"), opt("deposit_account", doc="Deposit account.")],
    requires=["order"],
    keywords=["accounting", "bookkeeping"],
)
app(
    "netsuite",
    "Sync order",
    "ACTION",
    "Sends an order to NetSuite as a sales order.",
    "sync_order_to_erp",
    [obj_id("order"), opt("subsidiary", doc="Subsidiary.")],
    requires=["order"],
    keywords=["erp", "export order", "integration"],
)
app(
    LOYALTY,
    "Referral completed",
    "TRIGGER",
    "Starts when a referred friend places their first order.",
    "referral_completed",
    provides=["customer", "order"],
    keywords=["loyalty", "refer a friend", "referral"],
)
app(
    "preorders",
    "Preorder placed",
    "TRIGGER",
    "Starts when a customer places a preorder through the app.",
    "preorder_placed",
    provides=["order", "customer"],
    keywords=["preorder", "backorder", "presale"],
)
app(
    "returns_app",
    "Create return label",
    "ACTION",
    "Emails the customer a prepaid return label.",
    "create_return_label",
    [obj_id("return"), opt("carrier", doc="Carrier.")],
    requires=["return"],
    keywords=["rma", "return shipping"],
)

# --- the document ---------------------------------------------------------------------------


def _roots() -> dict[str, str]:
    roots = dict(SCALAR_ROOTS)
    for type_name in OBJECTS:
        kind = type_name[:1].lower() + type_name[1:]
        roots.setdefault(kind, type_name)
    return dict(sorted(roots.items()))


def build() -> dict[str, Any]:
    """The tasks.json document."""
    return {
        "catalog_version": CATALOG_VERSION,
        "environment": {
            "always_in_scope": ALWAYS_IN_SCOPE,
            "roots": _roots(),
            "objects": OBJECTS,
            "enums": ENUMS,
            "implies": IMPLIES,
        },
        "tasks": TASKS,
    }


def render() -> str:
    """tasks.json's exact text."""
    return json.dumps(build(), indent=1, ensure_ascii=False) + "\n"


TASKS_JSON = Path(__file__).with_name("tasks.json")

if __name__ == "__main__":
    TASKS_JSON.write_text(render(), encoding="utf-8")
    print(f"wrote {TASKS_JSON} ({len(TASKS)} tasks)")
