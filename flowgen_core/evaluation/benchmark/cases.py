"""The benchmark cases, as merchants would ask for them, with the expected workflow as DSL.

Each entry: (category, difficulty, features, request, expected program, existing program or
None). Categories are the template categories of catalog-facts.md; features mark what a case
exercises (email, condition, complex_condition, loop, wait, get_data, edit, connector, ...) so
results can be cut by them. `build.py` turns this into `cases.jsonl`; ids are assigned there
from the category and the order here, so append new cases at the end of a category.
"""

from __future__ import annotations

Case = tuple[str, str, tuple[str, ...], str, str, str | None]

# Resource ids are environment paths, as the platform writes them (not Liquid).
O = "order.id"  # noqa: E741 - short on purpose: it is in almost every program
C = "order.customer.id"

CASES: list[Case] = []


def case(
    category: str,
    difficulty: str,
    features: str,
    request: str,
    program: str,
    existing: str | None = None,
) -> None:
    """Add one case (features as a space-separated word list)."""
    CASES.append((category, difficulty, tuple(features.split()), request, program, existing))


# ---------------------------------------------------------------- orders
for amount, tag, request in [
    (500, "high-value", "tag orders over $500 as high-value"),
    (1000, "big-spender", "Can you add a big-spender tag to any order above 1000 dollars?"),
    (250, "priority", "orders worth more than $250 should get the priority tag"),
    (2000, "whale", "When someone places an order over 2000, tag it whale so we notice"),
]:
    case(
        "orders",
        "easy",
        "condition",
        request,
        f"""@order_created
def tag_orders(order, shop):
    'Tag high-value orders'
    if order.totalPriceSet.shopMoney.amount > Money('{amount}'):
        add_order_tags(order_id={O}, tags=['{tag}'])
""",
    )

case(
    "orders",
    "easy",
    "email",
    "tag orders over $500 and email me at owner@shop.com",
    f"""@order_created
def tag_and_email(order, shop):
    'Tag big orders and email me'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id={O}, tags=['high-value'])
        send_internal_email(address='owner@shop.com', subject='High-value order {{{{order.name}}}}', message='Order {{{{order.name}}}} came in at {{{{order.totalPriceSet.shopMoney.amount}}}}.')
""",
)
case(
    "orders",
    "easy",
    "",
    "every paid order should get a 'paid' tag",
    f"""@order_paid
def tag_paid(order, shop):
    'Tag paid orders'
    add_order_tags(order_id={O}, tags=['paid'])
""",
)
case(
    "orders",
    "medium",
    "condition complex_condition",
    "Tag orders shipping to Canada or the US that are over $150 with 'north-america-priority'",
    f"""@order_created
def na_priority(order, shop):
    'North America priority'
    if (order.shippingAddress.countryCodeV2 == 'CA' or order.shippingAddress.countryCodeV2 == 'US') and order.totalPriceSet.shopMoney.amount > Money('150'):
        add_order_tags(order_id={O}, tags=['north-america-priority'])
""",
)
case(
    "orders",
    "medium",
    "condition",
    "If an order has a discount code, add the tag 'discounted', otherwise tag it 'full-price'",
    f"""@order_created
def discount_tagging(order, shop):
    'Discount tagging'
    if not is_empty(order.discountCodes):
        add_order_tags(order_id={O}, tags=['discounted'])
    else:
        add_order_tags(order_id={O}, tags=['full-price'])
""",
)
case(
    "orders",
    "medium",
    "loop condition",
    "when an order contains any item from the vendor Acme, tag the order acme",
    f"""@order_created
def acme_orders(order, shop):
    'Tag Acme orders'
    if any(lineItems_item.vendor == 'Acme' for lineItems_item in order.lineItems):
        add_order_tags(order_id={O}, tags=['acme'])
""",
)
case(
    "orders",
    "easy",
    "",
    "Archive orders automatically once they're fulfilled",
    f"""@order_fulfilled
def archive_fulfilled(order, shop):
    'Archive fulfilled orders'
    archive_order(order_id={O})
""",
)
case(
    "orders",
    "medium",
    "condition",
    "add a note 'Gift - no invoice in box' to orders where the customer left a gift note attribute",
    f"""@order_created
def gift_note(order, shop):
    'Gift orders note'
    if any(customAttributes_item.key == 'gift_note' for customAttributes_item in order.customAttributes):
        update_order_note(order_id={O}, note='Gift - no invoice in box', append=True)
""",
)
case(
    "orders",
    "hard",
    "get_data loop email schedule",
    "Every morning at 8 send ops@ourstore.com a list of orders still unfulfilled from the last 2 days",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T080000\\nRRULE:FREQ=DAILY'])
def daily_unfulfilled(scheduledAt, shop):
    'Daily unfulfilled orders'
    getOrderData = get_order_data(query='fulfillment_status:unfulfilled created_at:>-2d', max_root_records=100)
    count = count(listpath='getOrderData')
    send_internal_email(address='ops@ourstore.com', subject='{{count}} unfulfilled orders', message='{% for o in getOrderData %}{{ o.name }}\\n{% endfor %}')
""",
)
case(
    "orders",
    "medium",
    "connector",
    "When an order is paid, post it to our ERP: POST to https://erp.example.com/orders with the order id",
    """@order_paid
def erp_webhook(order, shop):
    'Send paid orders to ERP'
    sendHttpRequest = send_http_request(method='POST', url='https://erp.example.com/orders', headers={'Content-Type': 'application/json'}, body='{"order_id": "{{order.id}}"}')
""",
)
case(
    "orders",
    "medium",
    "condition",
    "tag orders that are test orders with 'test' and archive them",
    f"""@order_created
def test_orders(order, shop):
    'Archive test orders'
    if order.test == True:
        add_order_tags(order_id={O}, tags=['test'])
        archive_order(order_id={O})
""",
)
case(
    "orders",
    "hard",
    "condition complex_condition",
    "Orders from our POS with more than 10 items or over 800 bucks: tag bulk-pos",
    f"""@order_created
def bulk_pos(order, shop):
    'Bulk POS orders'
    if order.sourceName == 'pos' and (order.currentSubtotalLineItemsQuantity > 10 or order.totalPriceSet.shopMoney.amount > Money('800')):
        add_order_tags(order_id={O}, tags=['bulk-pos'])
""",
)

# ---------------------------------------------------------------- risk
for level, request in [
    ("HIGH", "cancel orders that Shopify marks as high risk"),
    ("HIGH", "If fraud analysis says an order is HIGH risk, just cancel it and restock the items"),
]:
    case(
        "risk",
        "easy",
        "condition",
        request,
        f"""@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.{level}:
        cancel_order(order_id={O}, reason='FRAUD', restock=True)
""",
    )
case(
    "risk",
    "medium",
    "condition email",
    "cancel high risk orders and send an email to risk@myshop.com so the team knows",
    f"""@order_risk_analyzed
def cancel_and_tell(order, shop):
    'Cancel high-risk orders and email'
    if order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id={O}, reason='FRAUD', restock=True)
        send_internal_email(address='risk@myshop.com', subject='Cancelled {{{{order.name}}}}', message='Order {{{{order.name}}}} was high risk and has been cancelled.')
""",
)
case(
    "risk",
    "medium",
    "condition loop complex_condition",
    "Hold fulfillment on medium or high risk orders so we can review before shipping",
    """@order_risk_analyzed
def hold_risky(order, shop):
    'Hold risky orders'
    if order.riskLevel == OrderRiskLevel.MEDIUM or order.riskLevel == OrderRiskLevel.HIGH:
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='HIGH_RISK_OF_FRAUD', reason_notes='Review before shipping')
""",
)
case(
    "risk",
    "medium",
    "condition",
    "capture payment automatically unless the order is risky; risky ones get tagged manual-review",
    f"""@order_risk_analyzed
def capture_unless_risky(order, shop):
    'Capture unless risky'
    if order.riskLevel == OrderRiskLevel.LOW:
        capture_payment(order_id={O})
    else:
        add_order_tags(order_id={O}, tags=['manual-review'])
""",
)
case(
    "risk",
    "easy",
    "condition",
    "tag orders with medium risk as 'check-me'",
    f"""@order_risk_analyzed
def tag_medium(order, shop):
    'Tag medium risk'
    if order.riskLevel == OrderRiskLevel.MEDIUM:
        add_order_tags(order_id={O}, tags=['check-me'])
""",
)
case(
    "risk",
    "hard",
    "condition complex_condition",
    "If an order is high risk AND the billing country isn't the shipping country, cancel it. otherwise if it's just high risk tag it review",
    f"""@order_risk_analyzed
def mismatch_risk(order, shop):
    'Risk with country mismatch'
    if order.riskLevel == OrderRiskLevel.HIGH and order.billingAddress.countryCodeV2 != order.shippingAddress.countryCodeV2:
        cancel_order(order_id={O}, reason='FRAUD', restock=True)
    elif order.riskLevel == OrderRiskLevel.HIGH:
        add_order_tags(order_id={O}, tags=['review'])
""",
)
case(
    "risk",
    "medium",
    "condition connector",
    "Post high-risk orders into #fraud on Slack with the order name",
    """@order_risk_analyzed
def slack_fraud(order, shop):
    'Slack high risk'
    if order.riskLevel == OrderRiskLevel.HIGH:
        send_slack_message(channel='#fraud', message='High risk order {{order.name}}')
""",
)
case(
    "risk",
    "hard",
    "condition complex_condition email",
    "For first-time customers spending over $700, flag the order as high risk and email fraud@store.io",
    f"""@order_created
def first_big_order(order, shop):
    'First big order check'
    if order.customer.numberOfOrders == 1 and order.totalPriceSet.shopMoney.amount > Money('700'):
        create_order_risk_assessment(order_id={O}, risk_level='HIGH', message='First order over $700')
        send_internal_email(address='fraud@store.io', subject='Check {{{{order.name}}}}', message='First-time customer spent {{{{order.totalPriceSet.shopMoney.amount}}}}.')
""",
)
case(
    "risk",
    "medium",
    "condition",
    "When a dispute is opened, tag the order as chargeback",
    """@dispute_created
def chargeback_tag(dispute, shop):
    'Tag disputed orders'
    add_order_tags(order_id=dispute.order.id, tags=['chargeback'])
""",
)
case(
    "risk",
    "easy",
    "email",
    "email me (alerts@shop.com) whenever a chargeback / dispute comes in",
    """@dispute_created
def dispute_email(dispute, shop):
    'Dispute alert'
    send_internal_email(address='alerts@shop.com', subject='New dispute', message='Dispute {{dispute.id}} for {{dispute.amount.amount}}: {{dispute.reason}}')
""",
)
case(
    "risk",
    "hard",
    "condition complex_condition",
    "cancel orders where the email ends with @tempmail.com or the risk is high, and don't restock",
    f"""@order_risk_analyzed
def tempmail(order, shop):
    'Cancel disposable email orders'
    if order.email.endswith('@tempmail.com') or order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id={O}, reason='FRAUD', restock=False)
""",
)

# ---------------------------------------------------------------- inventory_and_merch
for n, email, request in [
    (
        10,
        "buyer@example.com",
        "Send buyer@example.com an alert when a variant drops below 10 in stock",
    ),
    (
        5,
        "stock@mystore.com",
        "low stock alert please! under 5 units email stock@mystore.com, only once when it crosses",
    ),
    (20, "purchasing@shop.co", "let purchasing@shop.co know when inventory goes under 20"),
]:
    case(
        "inventory_and_merch",
        "medium",
        "condition complex_condition email",
        request,
        f"""@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < {n} and inventoryQuantityPrior >= {n}:
        send_internal_email(address='{email}', subject='Low stock: {{{{product.title}}}}', message='{{{{productVariant.sku}}}} has {{{{productVariant.inventoryQuantity}}}} left.')
""",
    )
case(
    "inventory_and_merch",
    "easy",
    "",
    "hide products when they sell out",
    """@product_variant_out_of_stock
def hide_sold_out(product, productVariant, shop):
    'Hide sold out products'
    hide_product(product_id=product.id)
""",
)
case(
    "inventory_and_merch",
    "easy",
    "",
    "Tag products as sold-out when a variant goes out of stock",
    """@product_variant_out_of_stock
def tag_sold_out(product, productVariant, shop):
    'Tag sold out'
    add_product_tags(product_id=product.id, tags=['sold-out'])
""",
)
case(
    "inventory_and_merch",
    "medium",
    "",
    "When something is back in stock remove the sold-out tag and publish it again",
    """@product_variant_back_in_stock
def restocked(product, productVariant, shop):
    'Back in stock'
    remove_product_tags(product_id=product.id, tags=['sold-out'])
    publish_product(product_id=product.id)
""",
)
case(
    "inventory_and_merch",
    "medium",
    "condition",
    "hide a product only when its total inventory is 0 after a variant sells out",
    """@product_variant_out_of_stock
def hide_when_all_gone(product, productVariant, shop):
    'Hide when all gone'
    if product.totalInventory <= 0:
        hide_product(product_id=product.id)
""",
)
case(
    "inventory_and_merch",
    "easy",
    "",
    "new products from the vendor go in the New Arrivals collection (id gid://shopify/Collection/111)",
    """@product_created
def new_arrivals(product, shop):
    'New arrivals'
    add_product_to_collections(product_id=product.id, collection_ids=['gid://shopify/Collection/111'])
""",
)
case(
    "inventory_and_merch",
    "medium",
    "condition",
    "If a new product is from vendor Nike, tag it brand-nike",
    """@product_created
def nike(product, shop):
    'Tag Nike'
    if product.vendor == 'Nike':
        add_product_tags(product_id=product.id, tags=['brand-nike'])
""",
)
case(
    "inventory_and_merch",
    "medium",
    "loop condition email",
    "when a product is created check every variant and email catalog@shop.com if any price is under $1",
    """@product_created
def price_check(product, shop):
    'Price check'
    for variantsForeachitem in product.variants:
        if variantsForeachitem.price < Money('1'):
            send_internal_email(address='catalog@shop.com', subject='Suspicious price', message='{{variantsForeachitem.sku}} costs {{variantsForeachitem.price}}')
""",
)
case(
    "inventory_and_merch",
    "hard",
    "get_data loop schedule",
    "Every Monday find draft products and tag them needs-review",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=WEEKLY;BYDAY=MO'])
def weekly_draft_review(scheduledAt, shop):
    'Weekly draft review'
    getProductData = get_product_data(query='status:draft', max_root_records=100)
    for getProductDataForeachitem in getProductData:
        add_product_tags(product_id=getProductDataForeachitem.id, tags=['needs-review'])
""",
)
case(
    "inventory_and_merch",
    "medium",
    "connector",
    "add a row to our inventory Google Sheet (id 1XyZ, tab Restock) when a variant goes out of stock",
    """@product_variant_out_of_stock
def sheet_restock(product, productVariant, shop):
    'Restock sheet'
    add_sheet_row(spreadsheet_id='1XyZ', sheet_name='Restock', row=['{{product.title}}', '{{productVariant.sku}}'])
""",
)
case(
    "inventory_and_merch",
    "medium",
    "condition",
    "archived products shouldn't show anywhere, unpublish them when status changes to archived",
    """@product_status_updated
def unpublish_archived(oldStatus, product, shop):
    'Hide archived'
    if product.status == ProductStatus.ARCHIVED:
        hide_product(product_id=product.id)
""",
)
case(
    "inventory_and_merch",
    "hard",
    "condition complex_condition",
    "when stock changes, if quantity hits zero and it was above zero before, set the product to draft, unless it's tagged preorder",
    """@inventory_quantity_changed
def draft_on_zero(product, productVariant, inventoryQuantityPrior, shop):
    'Draft when out'
    if productVariant.inventoryQuantity <= 0 and inventoryQuantityPrior > 0 and 'preorder' not in product.tags:
        update_product_status(product_id=product.id, status='DRAFT')
""",
)

# ---------------------------------------------------------------- buyer_experience
case(
    "buyer_experience",
    "medium",
    "condition",
    "When we archive a product redirect its page to /collections/all",
    """@product_status_updated
def redirect_archived(oldStatus, product, shop):
    'Redirect archived products'
    if product.status == ProductStatus.ARCHIVED:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/all')
""",
)
case(
    "buyer_experience",
    "easy",
    "",
    "if a product gets deleted, send its old url to the homepage",
    """@product_deleted
def redirect_deleted(productId, shop):
    'Redirect deleted products'
    create_redirect_url(path='/products/{{productId}}', target='/')
""",
)
case(
    "buyer_experience",
    "medium",
    "condition",
    "when a product goes back to active from archived, remove the redirect for it",
    """@product_status_updated
def unredirect(oldStatus, product, shop):
    'Remove redirect on reactivation'
    if product.status == ProductStatus.ACTIVE and oldStatus == ProductStatus.ARCHIVED:
        delete_redirect_urls(paths=['/products/{{product.handle}}'])
""",
)
case(
    "buyer_experience",
    "easy",
    "connector",
    "Ask for a review after an order is fulfilled",
    f"""@order_fulfilled
def ask_review(order, shop):
    'Request reviews'
    request_review(order_id={O})
""",
)
case(
    "buyer_experience",
    "medium",
    "wait connector",
    "wait 5 days after fulfillment and then send a review request",
    f"""@order_fulfilled
def review_later(order, shop):
    'Review request after 5 days'
    wait(wait_duration='P5D')
    request_review(order_id={O})
""",
)
case(
    "buyer_experience",
    "medium",
    "condition connector",
    "Publish 5 star reviews automatically",
    """@review_created
def publish_five(review, product, customer, shop):
    'Publish 5-star reviews'
    if review.rating == 5:
        publish_review(review_id=review.id)
""",
)
case(
    "buyer_experience",
    "hard",
    "condition email connector",
    "bad reviews (2 stars or less) should open a high priority helpdesk ticket and email support@brand.com",
    """@review_created
def bad_review(review, product, customer, shop):
    'Bad review follow-up'
    if review.rating <= 2:
        create_support_ticket(subject='Bad review on {{product.title}}', body='{{review.body}}', customer_email='{{customer.email}}', priority='high')
        send_internal_email(address='support@brand.com', subject='Bad review', message='{{customer.email}} rated {{product.title}} {{review.rating}} stars')
""",
)
case(
    "buyer_experience",
    "easy",
    "",
    "resend the order confirmation whenever an order gets its shipping address changed... actually just resend confirmation on every new order from the online store",
    f"""@order_created
def resend_confirmation(order, shop):
    'Resend confirmation'
    if order.sourceName == 'web':
        resend_order_confirmation(order_id={O})
""",
)
case(
    "buyer_experience",
    "medium",
    "connector",
    "when a wishlisted item is back in stock text the customer on whatsapp using template back_in_stock",
    """@wishlist_item_restocked
def wishlist_back(customer, product, shop):
    'Wishlist restock WhatsApp'
    send_whatsapp_message(to='{{customer.phone}}', template_name='back_in_stock', parameters=['{{product.title}}'])
""",
)
case(
    "buyer_experience",
    "medium",
    "condition",
    "For local delivery orders add a note 'Call on arrival' to the order",
    f"""@order_created
def local_delivery_note(order, shop):
    'Local delivery note'
    if any(customAttributes_item.value == 'local-delivery' for customAttributes_item in order.customAttributes):
        update_order_note(order_id={O}, note='Call on arrival', append=True)
""",
)
case(
    "buyer_experience",
    "hard",
    "condition email",
    "When a shipment has an exception email cs@shop.com with the tracking number and tag the order shipping-issue",
    """@shipment_exception
def shipping_issue(shipment, order, shop):
    'Shipment exception'
    add_order_tags(order_id=order.id, tags=['shipping-issue'])
    send_internal_email(address='cs@shop.com', subject='Shipment problem on {{order.name}}', message='Tracking {{shipment.trackingNumber}} ({{shipment.carrier}}): {{shipment.status}}')
""",
)

# ---------------------------------------------------------------- customers
case(
    "customers",
    "easy",
    "",
    "tag every new customer as 'new'",
    """@customer_created
def tag_new(customer, shop):
    'Tag new customers'
    add_customer_tags(customer_id=customer.id, tags=['new'])
""",
)
case(
    "customers",
    "hard",
    "get_data loop schedule",
    "Each week tag customers who haven't ordered in 90 days as lapsed",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=WEEKLY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-90d' AND -tag:lapsed", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
""",
)
case(
    "customers",
    "medium",
    "condition",
    "When a customer orders again, remove the lapsed tag if they have it",
    f"""@order_created
def unlapse(order, shop):
    'Remove lapsed tag'
    if 'lapsed' in order.customer.tags:
        remove_customer_tags(customer_id={C}, tags=['lapsed'])
""",
)
case(
    "customers",
    "medium",
    "condition",
    "tag customers from Germany with 'de' when they sign up",
    """@customer_created
def tag_de(customer, shop):
    'Tag German customers'
    if customer.defaultAddress.countryCodeV2 == 'DE':
        add_customer_tags(customer_id=customer.id, tags=['de'])
""",
)
case(
    "customers",
    "easy",
    "connector",
    "add new customers to our hubspot",
    """@customer_created
def hubspot(customer, shop):
    'Sync to HubSpot'
    upsert_crm_contact(email='{{customer.email}}', first_name='{{customer.firstName}}', last_name='{{customer.lastName}}')
""",
)
case(
    "customers",
    "medium",
    "condition",
    "if a customer's email ends with .edu tag them student",
    """@customer_created
def students(customer, shop):
    'Tag students'
    if customer.email.endswith('.edu'):
        add_customer_tags(customer_id=customer.id, tags=['student'])
""",
)
case(
    "customers",
    "easy",
    "",
    "Whenever someone subscribes to email marketing give them the newsletter tag",
    """@customer_subscribed_to_email_marketing
def newsletter(customer, shop):
    'Newsletter tag'
    add_customer_tags(customer_id=customer.id, tags=['newsletter'])
""",
)
case(
    "customers",
    "medium",
    "",
    "when a customer abandons checkout, tag them abandoned-cart and note the date",
    """@customer_abandons_checkout
def abandoned(customer, abandonment, shop):
    'Abandoned checkout'
    add_customer_tags(customer_id=customer.id, tags=['abandoned-cart'])
    update_customer_note(customer_id=customer.id, note='Abandoned checkout on {{abandonment.createdAt}}', append=True)
""",
)
case(
    "customers",
    "hard",
    "condition complex_condition",
    "Customers who have spent over $1000 across 5+ orders should be tagged vip, and if they also are subscribed to marketing tag them vip-newsletter too",
    f"""@order_paid
def vip_levels(order, shop):
    'VIP levels'
    if order.customer.amountSpent.amount > Money('1000') and order.customer.numberOfOrders >= 5:
        add_customer_tags(customer_id={C}, tags=['vip'])
        if order.customer.emailMarketingConsent.marketingState == CustomerEmailMarketingState.SUBSCRIBED:
            add_customer_tags(customer_id={C}, tags=['vip-newsletter'])
""",
)
case(
    "customers",
    "medium",
    "connector",
    "When a customer joins a segment, add them to the klaviyo style email list 'segment-sync'",
    """@customer_joined_segment
def segment_list(customer, segment, shop):
    'Segment to list'
    add_to_email_list(email='{{customer.email}}', list_id='segment-sync')
""",
)
case(
    "customers",
    "easy",
    "",
    "save the customer's signup source to a metafield custom.source = 'flow' when they're created",
    """@customer_created
def source_metafield(customer, shop):
    'Source metafield'
    update_customer_metafield(customer_id=customer.id, namespace='custom', key='source', value='flow', type='single_line_text_field')
""",
)
case(
    "customers",
    "medium",
    "condition",
    "if a customer is tagged wholesale when tags are added, send them the account invite",
    """@customer_tags_added
def wholesale_invite(tags, customer, shop):
    'Wholesale invite'
    if 'wholesale' in tags:
        send_account_invite(customer_id=customer.id)
""",
)
case(
    "customers",
    "hard",
    "condition email",
    "When a customer is deleted email privacy@company.com with their id for our GDPR log",
    """@customer_deleted
def gdpr_log(customerId, shop):
    'GDPR log'
    send_internal_email(address='privacy@company.com', subject='Customer deleted', message='Customer {{customerId}} was deleted.')
""",
)

# ---------------------------------------------------------------- loyalty
case(
    "loyalty",
    "hard",
    "wait condition",
    "A week after someone pays, if they've spent 1000 or more overall, tag them VIP and give 500 points",
    f"""@order_paid
def vip_after_week(order, shop):
    'VIP after a week'
    wait(wait_duration='P7D')
    if order.customer.amountSpent.amount >= Money('1000'):
        add_customer_tags(customer_id={C}, tags=['VIP'])
        award_loyalty_points(customer_id={C}, points=500, reason='Welcome to VIP')
""",
)
for pts, request in [
    (100, "award 100 points on every paid order"),
    (50, "Give customers 50 loyalty points each time they order and pay"),
]:
    case(
        "loyalty",
        "easy",
        "connector",
        request,
        f"""@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id={C}, points={pts})
""",
    )
case(
    "loyalty",
    "medium",
    "condition connector",
    "double points: orders over $200 get 400 points, others get 100",
    f"""@order_paid
def double_points(order, shop):
    'Double points'
    if order.totalPriceSet.shopMoney.amount > Money('200'):
        award_loyalty_points(customer_id={C}, points=400)
    else:
        award_loyalty_points(customer_id={C}, points=100)
""",
)
case(
    "loyalty",
    "medium",
    "connector",
    "When an order is refunded take back 100 points from the customer",
    """@refund_created
def deduct(refund, order, shop):
    'Deduct on refund'
    deduct_loyalty_points(customer_id=order.customer.id, points=100, reason='Refund')
""",
)
case(
    "loyalty",
    "medium",
    "condition",
    "If a customer's points balance goes over 5000, tag them gold",
    """@loyalty_points_changed
def gold(customer, pointsChange, pointsBalance, shop):
    'Gold tier tag'
    if pointsBalance > 5000:
        add_customer_tags(customer_id=customer.id, tags=['gold'])
""",
)
case(
    "loyalty",
    "medium",
    "email",
    "when a customer's VIP tier changes email vip@shop.com with the new tier",
    """@loyalty_tier_changed
def tier_email(customer, tierName, shop):
    'Tier change email'
    send_internal_email(address='vip@shop.com', subject='Tier change', message='{{customer.displayName}} is now {{tierName}}')
""",
)
case(
    "loyalty",
    "hard",
    "condition complex_condition connector",
    "Customers with 10 or more orders who spent at least $2500: move them to the Platinum tier",
    f"""@order_paid
def platinum(order, shop):
    'Platinum tier'
    if order.customer.numberOfOrders >= 10 and order.customer.amountSpent.amount >= Money('2500'):
        set_loyalty_tier(customer_id={C}, tier_name='Platinum')
""",
)
case(
    "loyalty",
    "easy",
    "connector",
    "give 200 bonus points when someone creates an account",
    """@customer_created
def signup_points(customer, shop):
    'Signup points'
    award_loyalty_points(customer_id=customer.id, points=200, reason='Signup bonus')
""",
)
case(
    "loyalty",
    "medium",
    "condition connector",
    "award 300 points for a 5 star review",
    """@review_created
def review_points(review, product, customer, shop):
    'Review points'
    if review.rating == 5:
        award_loyalty_points(customer_id=customer.id, points=300, reason='5-star review')
""",
)
case(
    "loyalty",
    "hard",
    "get_data loop schedule connector",
    "On the first of each month give every customer tagged vip 250 points",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260101T090000\\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1'])
def monthly_vip_points(scheduledAt, shop):
    'Monthly VIP points'
    getCustomerData = get_customer_data(query='tag:vip', max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        award_loyalty_points(customer_id=getCustomerDataForeachitem.id, points=250, reason='Monthly VIP bonus')
""",
)
case(
    "loyalty",
    "medium",
    "connector",
    "issue $10 store credit to customers when their order is paid and they're tagged vip",
    f"""@order_paid
def vip_credit(order, shop):
    'VIP store credit'
    if 'vip' in order.customer.tags:
        issue_store_credit(customer_id={C}, amount=10)
""",
)

# ---------------------------------------------------------------- promotions
case(
    "promotions",
    "medium",
    "condition email",
    "send a marketing email to first time buyers after they pay (activity gid://shopify/MarketingActivity/42)",
    f"""@order_paid
def first_timer(order, shop):
    'Thank first-time customers'
    if order.customer.numberOfOrders == 1:
        send_marketing_email(customer_id={C}, marketing_activity_id='gid://shopify/MarketingActivity/42')
""",
)
case(
    "promotions",
    "medium",
    "condition",
    "tag orders that used the code SUMMER20 with summer-sale",
    f"""@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes:
        add_order_tags(order_id={O}, tags=['summer-sale'])
""",
)
case(
    "promotions",
    "easy",
    "email",
    "email marketing@shop.com when a new discount code is created",
    """@discount_code_created
def new_code(discount, shop):
    'New discount code'
    send_internal_email(address='marketing@shop.com', subject='New code {{discount.code}}', message='{{discount.title}} starts {{discount.startsAt}}')
""",
)
case(
    "promotions",
    "hard",
    "condition complex_condition",
    "If an automatic discount is created without an end date or with a usage limit over 1000, deactivate it and email me at admin@shop.com",
    """@automatic_discount_created
def guard_discounts(discount, shop):
    'Guard automatic discounts'
    if discount.endsAt is None or discount.usageLimit > 1000:
        deactivate_discount(discount_id=discount.id)
        send_internal_email(address='admin@shop.com', subject='Discount deactivated', message='{{discount.title}} had no end date or a high usage limit.')
""",
)
case(
    "promotions",
    "medium",
    "",
    "give every new customer a unique 10% welcome code",
    """@customer_created
def welcome_code(customer, shop):
    'Welcome code'
    create_discount_code(code='WELCOME-{{customer.id}}', value_type='PERCENTAGE', value=10, customer_id=customer.id, usage_limit=1)
""",
)
case(
    "promotions",
    "medium",
    "wait condition",
    "30 days after a first order, if they haven't ordered again send them the winback email (activity id gid://shopify/MarketingActivity/7)",
    f"""@order_paid
def winback(order, shop):
    'Winback'
    if order.customer.numberOfOrders == 1:
        wait(wait_duration='P30D')
        if order.customer.numberOfOrders == 1:
            send_marketing_email(customer_id={C}, marketing_activity_id='gid://shopify/MarketingActivity/7')
""",
)
case(
    "promotions",
    "easy",
    "connector",
    "send a Purchase conversion to Meta ads on each paid order",
    """@order_paid
def meta(order, shop):
    'Meta conversion'
    send_meta_conversion(event_name='Purchase', value='{{order.totalPriceSet.shopMoney.amount}}')
""",
)
case(
    "promotions",
    "medium",
    "condition connector",
    "Add big spenders (orders over 300) to the Meta custom audience 12345",
    """@order_paid
def audience(order, shop):
    'Big spender audience'
    if order.totalPriceSet.shopMoney.amount > Money('300'):
        add_to_ad_audience(audience_id='12345', email='{{order.email}}')
""",
)
case(
    "promotions",
    "hard",
    "get_data loop schedule",
    "Every Sunday night deactivate all active discounts with 'FLASH' in the title",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260104T230000\\nRRULE:FREQ=WEEKLY;BYDAY=SU'])
def end_flash(scheduledAt, shop):
    'End flash sales'
    getDiscountData = get_discount_data(query='status:active title:*FLASH*', max_root_records=100)
    for getDiscountDataForeachitem in getDiscountData:
        deactivate_discount(discount_id=getDiscountDataForeachitem.id)
""",
)
case(
    "promotions",
    "medium",
    "",
    "when an order is paid, give the customer a $5 gift card for next time",
    f"""@order_paid
def gift(order, shop):
    'Thank-you gift card'
    create_gift_card(initial_value=5, customer_id={C}, note='Thank you')
""",
)
case(
    "promotions",
    "medium",
    "condition",
    "Orders with free shipping (shipping price 0) over $100 get tagged free-ship-promo",
    f"""@order_created
def free_ship(order, shop):
    'Free shipping promo'
    if order.totalShippingPriceSet.shopMoney.amount == Money('0') and order.totalPriceSet.shopMoney.amount > Money('100'):
        add_order_tags(order_id={O}, tags=['free-ship-promo'])
""",
)

# ---------------------------------------------------------------- fulfillment
case(
    "fulfillment",
    "hard",
    "wait loop",
    "hold new orders for 30 minutes then release them, so customers can edit",
    """@order_created
def hold_then_release(order, shop):
    'Hold 30 minutes'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER', reason_notes='Edit window')
    wait(wait_duration='PT30M')
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        release_fulfillment_order_hold(fulfillment_order_id=fulfillmentOrdersForeachitem.id)
""",
)
case(
    "fulfillment",
    "easy",
    "",
    "when a fulfillment order is placed on hold, tag the order on-hold",
    """@fulfillment_order_placed_on_hold
def tag_hold(fulfillmentOrder, shop):
    'Tag held orders'
    add_order_tags(order_id=fulfillmentOrder.order.id, tags=['on-hold'])
""",
)
case(
    "fulfillment",
    "easy",
    "",
    "Remove the on-hold tag when the hold is released",
    """@fulfillment_order_hold_released
def untag_hold(fulfillmentOrder, shop):
    'Untag released'
    remove_order_tags(order_id=fulfillmentOrder.order.id, tags=['on-hold'])
""",
)
case(
    "fulfillment",
    "medium",
    "email",
    "If the fulfillment service fails to complete a fulfillment email warehouse@shop.com",
    """@fulfillment_service_failed
def failed(fulfillmentOrder, shop):
    'Fulfillment failed'
    send_internal_email(address='warehouse@shop.com', subject='Fulfillment failed', message='Fulfillment order {{fulfillmentOrder.id}} for {{fulfillmentOrder.order.name}} failed.')
""",
)
case(
    "fulfillment",
    "medium",
    "condition loop",
    "orders with any line item that doesn't need shipping (digital) should be marked fulfilled automatically",
    """@order_paid
def digital(order, shop):
    'Auto-fulfil digital'
    if all(lineItems_item.requiresShipping == False for lineItems_item in order.lineItems):
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            mark_fulfilled(fulfillment_order_id=fulfillmentOrdersForeachitem.id, notify_customer=True)
""",
)
case(
    "fulfillment",
    "medium",
    "loop",
    "move all fulfillment orders of new orders to our backup warehouse location gid://shopify/Location/2",
    """@order_created
def move_fo(order, shop):
    'Move to backup warehouse'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        move_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, new_location_id='gid://shopify/Location/2')
""",
)
case(
    "fulfillment",
    "easy",
    "connector",
    "create a shipping label automatically for paid orders",
    f"""@order_paid
def label(order, shop):
    'Create labels'
    create_shipping_label(order_id={O})
""",
)
case(
    "fulfillment",
    "hard",
    "condition complex_condition loop",
    "Hold international orders over $400 for manual customs check",
    """@order_created
def customs(order, shop):
    'Customs hold'
    if order.shippingAddress.countryCodeV2 != 'US' and order.totalPriceSet.shopMoney.amount > Money('400'):
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER', reason_notes='Customs check')
""",
)
case(
    "fulfillment",
    "medium",
    "email",
    "when a fulfillment request gets rejected, email fulfillment@store.com",
    """@fulfillment_request_rejected
def rejected(fulfillmentOrder, shop):
    'Fulfillment request rejected'
    send_internal_email(address='fulfillment@store.com', subject='Request rejected', message='{{fulfillmentOrder.order.name}} was rejected by the fulfillment service.')
""",
)
case(
    "fulfillment",
    "medium",
    "connector",
    "send the customer an SMS when their shipment is delivered",
    """@shipment_delivered
def delivered_sms(shipment, order, shop):
    'Delivered SMS'
    send_sms(to='{{order.phone}}', body='Your order {{order.name}} was delivered!')
""",
)
case(
    "fulfillment",
    "hard",
    "get_data loop schedule",
    "every 6 hours release any fulfillment orders that are on hold",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T000000\\nRRULE:FREQ=HOURLY;INTERVAL=6'])
def release_holds(scheduledAt, shop):
    'Release holds'
    getFulfillmentOrderData = get_fulfillment_order_data(query='status:on_hold', max_root_records=100)
    for getFulfillmentOrderDataForeachitem in getFulfillmentOrderData:
        release_fulfillment_order_hold(fulfillment_order_id=getFulfillmentOrderDataForeachitem.id)
""",
)
case(
    "fulfillment",
    "medium",
    "",
    "when a return is requested, approve it automatically and notify the customer",
    """@return_requested
def approve(shop):
    'Auto approve returns'
    approve_return_request(return_id='return.id', notify_customer=True)
""",
)

# ---------------------------------------------------------------- b2b
case(
    "b2b",
    "medium",
    "loop",
    "give new companies Net 30 payment terms on all their locations",
    """@company_created
def net30(company, shop):
    'Net 30'
    for locationsForeachitem in company.locations:
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_30')
""",
)
case(
    "b2b",
    "easy",
    "",
    "Send the B2B access email to every new company contact",
    """@company_contact_created
def access(companyContact, shop):
    'B2B access'
    send_b2b_access_email(company_contact_id=companyContact.id)
""",
)
case(
    "b2b",
    "easy",
    "",
    "new company locations get the wholesale catalog gid://shopify/Catalog/9",
    """@company_location_created
def catalog(companyLocation, shop):
    'Wholesale catalog'
    add_catalogs_to_company_location(company_location_id=companyLocation.id, catalog_ids=['gid://shopify/Catalog/9'])
""",
)
case(
    "b2b",
    "medium",
    "email",
    "email sales@wholesale.com whenever a new company is created with its name",
    """@company_created
def notify_sales(company, shop):
    'Notify sales'
    send_internal_email(address='sales@wholesale.com', subject='New company: {{company.name}}', message='{{company.name}} ({{company.externalId}}) was created.')
""",
)
case(
    "b2b",
    "medium",
    "condition",
    "if the company contact is the main contact, send them the B2B access email; otherwise do nothing",
    """@company_contact_created
def main_contact(companyContact, shop):
    'Main contact access'
    if companyContact.isMainContact == True:
        send_b2b_access_email(company_contact_id=companyContact.id)
""",
)
case(
    "b2b",
    "hard",
    "loop condition",
    "For new companies whose name contains 'Distributor', give all locations Net 60 and the distributor catalog gid://shopify/Catalog/12",
    """@company_created
def distributors(company, shop):
    'Distributor setup'
    if 'Distributor' in company.name:
        for locationsForeachitem in company.locations:
            update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_60')
            add_catalogs_to_company_location(company_location_id=locationsForeachitem.id, catalog_ids=['gid://shopify/Catalog/12'])
""",
)
case(
    "b2b",
    "medium",
    "",
    "store the company's external id in a company metafield erp.id when created",
    """@company_created
def erp_id(company, shop):
    'ERP id metafield'
    update_company_metafield(company_id=company.id, namespace='erp', key='id', value='{{company.externalId}}', type='single_line_text_field')
""",
)
case(
    "b2b",
    "medium",
    "connector",
    "Create an Asana task in project 555 for the account team when a company is created",
    """@company_created
def asana(company, shop):
    'Onboarding task'
    create_asana_task(project_id='555', name='Onboard {{company.name}}', notes='New B2B company')
""",
)
case(
    "b2b",
    "hard",
    "get_data loop schedule",
    "every morning tag draft orders older than a week with follow-up",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T070000\\nRRULE:FREQ=DAILY'])
def stale_drafts(scheduledAt, shop):
    'Stale drafts'
    getDraftOrderData = get_draft_order_data(query="status:open created_at:<'-7d'", max_root_records=100)
    for getDraftOrderDataForeachitem in getDraftOrderData:
        add_draft_order_tags(draft_order_id=getDraftOrderDataForeachitem.id, tags=['follow-up'])
""",
)
case(
    "b2b",
    "medium",
    "condition",
    "Draft orders over $5000 should be tagged needs-approval",
    """@draft_order_created
def approval(draftOrder, shop):
    'Draft approval'
    if draftOrder.totalPriceSet.shopMoney.amount > Money('5000'):
        add_draft_order_tags(draft_order_id=draftOrder.id, tags=['needs-approval'])
""",
)
case(
    "b2b",
    "easy",
    "",
    "send the invoice for every new draft order",
    """@draft_order_created
def invoice(draftOrder, shop):
    'Send draft invoice'
    send_draft_order_invoice(draft_order_id=draftOrder.id)
""",
)

# ---------------------------------------------------------------- payment_reminders
case(
    "payment_reminders",
    "easy",
    "",
    "remind B2B customers when a payment is due",
    """@payment_schedule_due
def remind(paymentSchedule, order, shop):
    'Payment reminder'
    send_payment_reminder(payment_schedule_id=paymentSchedule.id)
""",
)
case(
    "payment_reminders",
    "hard",
    "wait",
    "when a subscription billing attempt fails, wait 3 days and retry it, and email billing@shop.com right away",
    """@billing_attempt_failed
def dunning(subscriptionBillingAttempt, shop):
    'Dunning'
    with branch():
        wait(wait_duration='P3D')
        retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
    with branch():
        send_internal_email(address='billing@shop.com', subject='Billing failed', message='{{subscriptionBillingAttempt.errorMessage}}')
""",
)
case(
    "payment_reminders",
    "medium",
    "email",
    "payment due on a B2B order: send the reminder and tag the order payment-due",
    """@payment_schedule_due
def remind_and_tag(paymentSchedule, order, shop):
    'Remind and tag'
    send_payment_reminder(payment_schedule_id=paymentSchedule.id)
    add_order_tags(order_id=order.id, tags=['payment-due'])
""",
)
case(
    "payment_reminders",
    "medium",
    "wait",
    "retry failed subscription payments after 1 day",
    """@billing_attempt_failed
def retry(subscriptionBillingAttempt, shop):
    'Retry billing'
    wait(wait_duration='P1D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
""",
)
case(
    "payment_reminders",
    "hard",
    "condition wait",
    "if billing fails because of insufficient funds, wait 5 days and retry; any other error pause the subscription",
    """@billing_attempt_failed
def smart_dunning(subscriptionBillingAttempt, shop):
    'Smart dunning'
    if subscriptionBillingAttempt.errorCode == 'INSUFFICIENT_FUNDS':
        wait(wait_duration='P5D')
        retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
    else:
        pause_subscription(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
""",
)
case(
    "payment_reminders",
    "medium",
    "condition",
    "Send an invoice for orders that are still pending payment",
    f"""@order_created
def pending_invoice(order, shop):
    'Invoice pending orders'
    if order.displayFinancialStatus == OrderDisplayFinancialStatus.PENDING:
        send_order_invoice(order_id={O})
""",
)
case(
    "payment_reminders",
    "hard",
    "wait condition",
    "3 days after an order is created, if it's still not paid send the invoice again",
    f"""@order_created
def invoice_followup(order, shop):
    'Invoice follow-up'
    wait(wait_duration='P3D')
    if order.fullyPaid == False:
        send_order_invoice(order_id={O}, subject='Reminder: your order {{{{order.name}}}} is awaiting payment')
""",
)
case(
    "payment_reminders",
    "medium",
    "email",
    "when a subscription billing is challenged (3DS) email the customer service team at cs@subs.com",
    """@billing_attempt_challenged
def challenged(subscriptionBillingAttempt, shop):
    'Challenged billing'
    send_internal_email(address='cs@subs.com', subject='Billing needs authentication', message='Contract {{subscriptionBillingAttempt.subscriptionContract.id}} needs 3DS.')
""",
)
case(
    "payment_reminders",
    "hard",
    "get_data loop schedule",
    "Every Monday send payment reminders for all orders with financial status pending, by tagging them reminder-sent and emailing an invoice",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=WEEKLY;BYDAY=MO'])
def weekly_reminders(scheduledAt, shop):
    'Weekly payment reminders'
    getOrderData = get_order_data(query='financial_status:pending', max_root_records=100)
    for getOrderDataForeachitem in getOrderData:
        send_order_invoice(order_id=getOrderDataForeachitem.id)
        add_order_tags(order_id=getOrderDataForeachitem.id, tags=['reminder-sent'])
""",
)
case(
    "payment_reminders",
    "easy",
    "",
    "mark orders paid when the tender transaction is cash... just mark POS orders as paid",
    f"""@order_created
def pos_paid(order, shop):
    'POS paid'
    if order.sourceName == 'pos':
        mark_order_as_paid(order_id={O})
""",
)
case(
    "payment_reminders",
    "medium",
    "condition",
    "when a subscription billing succeeds after a failure, remove the dunning tag from the order",
    """@billing_attempt_succeeded
def clear_dunning(subscriptionBillingAttempt, shop):
    'Clear dunning'
    if 'dunning' in subscriptionBillingAttempt.order.tags:
        remove_order_tags(order_id=subscriptionBillingAttempt.order.id, tags=['dunning'])
""",
)

# ---------------------------------------------------------------- custom_data
case(
    "custom_data",
    "medium",
    "condition",
    "save the gift message cart attribute into the order metafield custom.gift_message",
    """@order_created
def gift_message(order, shop):
    'Save gift message'
    if any(customAttributes_item.key == 'gift_message' for customAttributes_item in order.customAttributes):
        update_order_metafield(order_id=order.id, metafield={'namespace': 'custom', 'key': 'gift_message', 'type': 'multi_line_text_field'}, value="{% for a in order.customAttributes %}{% if a.key == 'gift_message' %}{{ a.value }}{% endif %}{% endfor %}")
""",
)
case(
    "custom_data",
    "easy",
    "",
    "put the order's PO number into a metafield purchasing.po when created, using the order name",
    """@order_created
def po(order, shop):
    'PO metafield'
    update_order_metafield(order_id=order.id, metafield={'namespace': 'purchasing', 'key': 'po', 'type': 'single_line_text_field'}, value='PO-{{order.name}}')
""",
)
case(
    "custom_data",
    "medium",
    "",
    "Set the PO number on new orders with an Admin API orderUpdate call",
    """@order_created
def po_api(order, shop):
    'PO via Admin API'
    sendAdminApiRequest = send_admin_api_request(api_call='{"name": "orderUpdate", "blob": "{\\\\"input\\\\": {\\\\"id\\\\": \\\\"{{order.id}}\\\\", \\\\"poNumber\\\\": \\\\"PO-{{order.name}}\\\\"}}"}')
""",
)
case(
    "custom_data",
    "hard",
    "condition",
    "use run code to count total quantity on an order and tag it bulky if more than 20 items",
    """@order_created
def bulky(order, shop):
    'Bulky orders'
    runCode = run_code(input='query { order { lineItems { quantity } } }', script='export default function main(input) {\\n  const n = input.order.lineItems.reduce((a, l) => a + l.quantity, 0);\\n  return { bulky: n > 20 };\\n}', output_schema='type Output { bulky: Boolean! }')
    if runCode.bulky == True:
        add_order_tags(order_id=order.id, tags=['bulky'])
""",
)
case(
    "custom_data",
    "easy",
    "",
    "when a product is created set its metafield specs.reviewed to false",
    """@product_created
def reviewed(product, shop):
    'Reviewed flag'
    update_product_metafield(product_id=product.id, namespace='specs', key='reviewed', value='false', type='boolean')
""",
)
case(
    "custom_data",
    "medium",
    "",
    "Each new metaobject entry of type store_location should be logged to our Airtable base app1 table Locations",
    """@metaobject_entry_created
def airtable_locations(metaobject, shop):
    'Locations to Airtable'
    create_airtable_record(base_id='app1', table_name='Locations', fields={'handle': '{{metaobject.handle}}', 'name': '{{metaobject.displayName}}'})
""",
)
case(
    "custom_data",
    "hard",
    "get_data condition email schedule",
    "On the 1st of every month total the last 30 days of orders and email ceo@brand.com if it's over 10000",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260101T000000\\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1'])
def monthly_total(scheduledAt, shop):
    'Monthly total'
    getOrderData = get_order_data(query='created_at:>-30d', max_root_records=100)
    sum = sum(listpath='getOrderData', value_path='totalPriceSet.shopMoney.amount')
    if sum > Decimal('10000'):
        send_internal_email(address='ceo@brand.com', subject='Big month', message='{{sum}} in the last 30 days')
""",
)
case(
    "custom_data",
    "medium",
    "",
    "copy the customer's note into a customer metafield crm.notes whenever their tags change",
    """@customer_tags_added
def notes(tags, customer, shop):
    'Notes to metafield'
    update_customer_metafield(customer_id=customer.id, namespace='crm', key='notes', value='{{customer.note}}', type='multi_line_text_field')
""",
)
case(
    "custom_data",
    "medium",
    "schedule",
    "weekly sales report: run the ShopifyQL query 'FROM sales SHOW total_sales SINCE -7d' every Monday and log it",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T060000\\nRRULE:FREQ=WEEKLY;BYDAY=MO'])
def weekly_sales(scheduledAt, shop):
    'Weekly sales'
    getAnalyticsData = get_analytics_data(query='FROM sales SHOW total_sales SINCE -7d')
    log_output(message='{{getAnalyticsData.tableData}}')
""",
)
case(
    "custom_data",
    "medium",
    "condition",
    "when an order has a delivery_date attribute, store it in the order metafield delivery.date",
    """@order_created
def delivery(order, shop):
    'Delivery date'
    if any(customAttributes_item.key == 'delivery_date' for customAttributes_item in order.customAttributes):
        update_order_metafield(order_id=order.id, metafield={'namespace': 'delivery', 'key': 'date', 'type': 'date'}, value="{% for a in order.customAttributes %}{% if a.key == 'delivery_date' %}{{ a.value }}{% endif %}{% endfor %}")
""",
)
case(
    "custom_data",
    "easy",
    "",
    "set a shop metafield flow.last_order to the latest order name on every order",
    """@order_created
def last_order(order, shop):
    'Last order metafield'
    update_shop_metafield(namespace='flow', key='last_order', value='{{order.name}}', type='single_line_text_field')
""",
)

# ---------------------------------------------------------------- error_monitoring
case(
    "error_monitoring",
    "easy",
    "",
    "alert me when any workflow errors",
    """@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_error_alert()
""",
)
case(
    "error_monitoring",
    "medium",
    "connector",
    "When a workflow fails send a Shopify alert and post to #ops-alerts on slack",
    """@workflow_error_occurred
def alert_slack(workflowError, shop):
    'Alert and Slack'
    with branch():
        send_error_alert()
    with branch():
        send_slack_message(channel='#ops-alerts', message='{{workflowError.workflowName}} failed: {{workflowError.errorMessage}}')
""",
)
case(
    "error_monitoring",
    "easy",
    "email",
    "email dev@shop.com with the error whenever a Flow workflow fails",
    """@workflow_error_occurred
def email_dev(workflowError, shop):
    'Email errors'
    send_internal_email(address='dev@shop.com', subject='Workflow failed: {{workflowError.workflowName}}', message='{{workflowError.errorMessage}}\\n{{workflowError.workflowRunUrl}}')
""",
)
case(
    "error_monitoring",
    "medium",
    "connector",
    "page the on-call (pagerduty service P123) if a workflow errors",
    """@workflow_error_occurred
def page(workflowError, shop):
    'Page on-call'
    create_pagerduty_incident(service_id='P123', title='Flow error in {{workflowError.workflowName}}', urgency='high')
""",
)
case(
    "error_monitoring",
    "hard",
    "condition",
    "if the failing workflow's name starts with 'Payments', page pagerduty service PAY1; otherwise just slack #flow-errors",
    """@workflow_error_occurred
def route_errors(workflowError, shop):
    'Route errors'
    if workflowError.workflowName.startswith('Payments'):
        create_pagerduty_incident(service_id='PAY1', title='{{workflowError.workflowName}} failed', urgency='high')
    else:
        send_slack_message(channel='#flow-errors', message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
""",
)
case(
    "error_monitoring",
    "medium",
    "connector",
    "open a Jira bug in project OPS for every workflow error",
    """@workflow_error_occurred
def jira(workflowError, shop):
    'Jira on error'
    create_jira_issue(project_key='OPS', summary='Flow error: {{workflowError.workflowName}}', description='{{workflowError.errorMessage}}', issue_type='Bug')
""",
)
case(
    "error_monitoring",
    "medium",
    "email condition",
    "email ops@shop.com when the ERP webhook on paid orders returns an error status",
    """@order_paid
def erp_check(order, shop):
    'ERP webhook check'
    sendHttpRequest = send_http_request(method='POST', url='https://erp.example.com/orders', body='{"order_id": "{{order.id}}"}', on_server_error='ignore')
    if sendHttpRequest.status >= 400:
        send_internal_email(address='ops@shop.com', subject='ERP sync failed for {{order.name}}', message='Status {{sendHttpRequest.status}}: {{sendHttpRequest.body}}')
""",
)
case(
    "error_monitoring",
    "easy",
    "connector",
    "log workflow errors to the Google sheet 1ERR in tab Errors",
    """@workflow_error_occurred
def sheet_errors(workflowError, shop):
    'Errors sheet'
    add_sheet_row(spreadsheet_id='1ERR', sheet_name='Errors', row=['{{workflowError.occurredAt}}', '{{workflowError.workflowName}}', '{{workflowError.errorMessage}}'])
""",
)
case(
    "error_monitoring",
    "medium",
    "connector",
    "message our Discord webhook https://discord.com/api/webhooks/1 when a workflow breaks",
    """@workflow_error_occurred
def discord(workflowError, shop):
    'Discord on error'
    send_discord_message(webhook_url='https://discord.com/api/webhooks/1', content='{{workflowError.workflowName}} failed')
""",
)
case(
    "error_monitoring",
    "hard",
    "condition complex_condition",
    "Only alert on workflow errors that mention 'timeout' or 'rate limit' in the message, via a Shopify alert",
    """@workflow_error_occurred
def filtered(workflowError, shop):
    'Filtered alerts'
    if 'timeout' in workflowError.errorMessage or 'rate limit' in workflowError.errorMessage:
        send_error_alert(message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
""",
)

# ---------------------------------------------------------------- more emails (a quarter of field failures)
case(
    "orders",
    "medium",
    "email",
    "Email fulfillment@shop.com whenever an order is cancelled with the order number and reason",
    """@order_cancelled
def cancelled(order, shop):
    'Cancelled order email'
    send_internal_email(address='fulfillment@shop.com', subject='Order {{order.name}} cancelled', message='Order {{order.name}} was cancelled at {{order.cancelledAt}}.')
""",
)
case(
    "customers",
    "medium",
    "email connector",
    "send a welcome email from our email app (template welcome-1) and add them to the welcome list when someone signs up",
    """@customer_created
def welcome(customer, shop):
    'Welcome email'
    add_to_email_list(email='{{customer.email}}', list_id='welcome')
    send_app_email(to='{{customer.email}}', template_id='welcome-1', variables={'first_name': '{{customer.firstName}}'})
""",
)
case(
    "orders",
    "hard",
    "email condition complex_condition",
    "If an order ships to Alaska or Hawaii and weighs over 5000 grams, email shipping@shop.com to get a freight quote",
    """@order_created
def freight(order, shop):
    'Freight quote'
    if order.shippingAddress.provinceCode in ['AK', 'HI'] and order.totalWeight > 5000:
        send_internal_email(address='shipping@shop.com', subject='Freight quote for {{order.name}}', message='{{order.totalWeight}}g to {{order.shippingAddress.provinceCode}}')
""",
)
case(
    "inventory_and_merch",
    "medium",
    "email",
    "email the merch team merch@shop.com when a new collection is created",
    """@collection_created
def new_collection(collection, shop):
    'New collection email'
    send_internal_email(address='merch@shop.com', subject='New collection {{collection.title}}', message='{{collection.title}} ({{collection.handle}}) was created.')
""",
)
case(
    "fulfillment",
    "hard",
    "email condition",
    "when a refund over $200 is created, email finance@shop.com and tag the order big-refund",
    """@refund_created
def big_refund(refund, order, shop):
    'Big refund'
    if refund.totalRefundedSet.shopMoney.amount > Money('200'):
        send_internal_email(address='finance@shop.com', subject='Refund on {{order.name}}', message='{{refund.totalRefundedSet.shopMoney.amount}} refunded: {{refund.note}}')
        add_order_tags(order_id=order.id, tags=['big-refund'])
""",
)
case(
    "risk",
    "medium",
    "email wait",
    "wait an hour after a high-risk order comes in, then email risk@shop.com if it still isn't cancelled",
    """@order_risk_analyzed
def risk_followup(order, shop):
    'Risk follow-up'
    if order.riskLevel == OrderRiskLevel.HIGH:
        wait(wait_duration='PT1H')
        if order.cancelledAt is None:
            send_internal_email(address='risk@shop.com', subject='Still open: {{order.name}}', message='High risk order {{order.name}} is still open.')
""",
)

# ---------------------------------------------------------------- edits of existing workflows
_TAG_500 = f"""@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id={O}, tags=['high-value'])
"""
case(
    "orders",
    "medium",
    "edit email",
    "also email me at owner@shop.com when this happens",
    f"""@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id={O}, tags=['high-value'])
        send_internal_email(address='owner@shop.com', subject='High-value order {{{{order.name}}}}', message='{{{{order.name}}}}: {{{{order.totalPriceSet.shopMoney.amount}}}}')
""",
    _TAG_500,
)
case(
    "orders",
    "easy",
    "edit condition",
    "change the threshold to $300",
    f"""@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('300'):
        add_order_tags(order_id={O}, tags=['high-value'])
""",
    _TAG_500,
)
case(
    "orders",
    "easy",
    "edit",
    "rename the tag to vip-order instead",
    f"""@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id={O}, tags=['vip-order'])
""",
    _TAG_500,
)
case(
    "orders",
    "hard",
    "edit condition complex_condition",
    "only do it for orders shipping to the US",
    f"""@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500') and order.shippingAddress.countryCodeV2 == 'US':
        add_order_tags(order_id={O}, tags=['high-value'])
""",
    _TAG_500,
)
case(
    "orders",
    "medium",
    "edit",
    "also add the customer tag 'big-buyer'",
    f"""@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id={O}, tags=['high-value'])
        add_customer_tags(customer_id={C}, tags=['big-buyer'])
""",
    _TAG_500,
)
_LOW_STOCK = """@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 10 and inventoryQuantityPrior >= 10:
        send_internal_email(address='buyer@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} is low')
"""
case(
    "inventory_and_merch",
    "medium",
    "edit email",
    "send it to purchasing@example.com instead of the buyer",
    """@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 10 and inventoryQuantityPrior >= 10:
        send_internal_email(address='purchasing@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} is low')
""",
    _LOW_STOCK,
)
case(
    "inventory_and_merch",
    "hard",
    "edit condition complex_condition",
    "make the limit 25 instead of 10",
    """@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 25 and inventoryQuantityPrior >= 25:
        send_internal_email(address='buyer@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} is low')
""",
    _LOW_STOCK,
)
case(
    "inventory_and_merch",
    "medium",
    "edit connector",
    "also post it in #inventory on slack",
    """@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 10 and inventoryQuantityPrior >= 10:
        send_internal_email(address='buyer@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} is low')
        send_slack_message(channel='#inventory', message='Low stock: {{productVariant.sku}}')
""",
    _LOW_STOCK,
)
_RISK = f"""@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id={O}, reason='FRAUD', restock=True)
"""
case(
    "risk",
    "medium",
    "edit",
    "don't cancel them, just tag them fraud-review instead",
    f"""@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH:
        add_order_tags(order_id={O}, tags=['fraud-review'])
""",
    _RISK,
)
case(
    "risk",
    "hard",
    "edit condition complex_condition",
    "include medium risk too",
    f"""@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH or order.riskLevel == OrderRiskLevel.MEDIUM:
        cancel_order(order_id={O}, reason='FRAUD', restock=True)
""",
    _RISK,
)
case(
    "risk",
    "medium",
    "edit email",
    "and email risk@shop.com after cancelling",
    f"""@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id={O}, reason='FRAUD', restock=True)
        send_internal_email(address='risk@shop.com', subject='Cancelled {{{{order.name}}}}', message='High risk order cancelled.')
""",
    _RISK,
)
_LAPSED = """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=WEEKLY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-90d'", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
"""
case(
    "customers",
    "hard",
    "edit get_data loop schedule",
    "run it daily instead of weekly",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=DAILY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-90d'", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
""",
    _LAPSED,
)
case(
    "customers",
    "hard",
    "edit get_data loop",
    "use 180 days not 90",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=WEEKLY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-180d'", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
""",
    _LAPSED,
)
case(
    "customers",
    "hard",
    "edit get_data loop email",
    "also email them the winback marketing email gid://shopify/MarketingActivity/9",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=WEEKLY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-90d'", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
        send_marketing_email(customer_id=getCustomerDataForeachitem.id, marketing_activity_id='gid://shopify/MarketingActivity/9')
""",
    _LAPSED,
)
_HOLD = """@order_created
def hold_then_release(order, shop):
    'Hold 30 minutes'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER')
    wait(wait_duration='PT30M')
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        release_fulfillment_order_hold(fulfillment_order_id=fulfillmentOrdersForeachitem.id)
"""
case(
    "fulfillment",
    "hard",
    "edit wait loop",
    "make it 2 hours instead of 30 minutes",
    """@order_created
def hold_then_release(order, shop):
    'Hold 30 minutes'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER')
    wait(wait_duration='PT2H')
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        release_fulfillment_order_hold(fulfillment_order_id=fulfillmentOrdersForeachitem.id)
""",
    _HOLD,
)
case(
    "fulfillment",
    "hard",
    "edit wait loop condition",
    "only hold orders over $100",
    """@order_created
def hold_then_release(order, shop):
    'Hold 30 minutes'
    if order.totalPriceSet.shopMoney.amount > Money('100'):
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER')
        wait(wait_duration='PT30M')
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            release_fulfillment_order_hold(fulfillment_order_id=fulfillmentOrdersForeachitem.id)
""",
    _HOLD,
)
_ERR = """@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_error_alert()
"""
case(
    "error_monitoring",
    "medium",
    "edit email",
    "also email dev@shop.com",
    """@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_error_alert()
    send_internal_email(address='dev@shop.com', subject='Workflow error', message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
""",
    _ERR,
)
case(
    "error_monitoring",
    "medium",
    "edit connector",
    "replace the alert with a slack message to #errors",
    """@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_slack_message(channel='#errors', message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
""",
    _ERR,
)
_POINTS = f"""@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id={C}, points=100)
"""
case(
    "loyalty",
    "medium",
    "edit condition",
    "only for orders over $50",
    f"""@order_paid
def points(order, shop):
    'Points per order'
    if order.totalPriceSet.shopMoney.amount > Money('50'):
        award_loyalty_points(customer_id={C}, points=100)
""",
    _POINTS,
)
case(
    "loyalty",
    "easy",
    "edit",
    "bump it to 150 points",
    f"""@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id={C}, points=150)
""",
    _POINTS,
)
case(
    "loyalty",
    "hard",
    "edit wait",
    "wait 14 days before awarding (after the return window)",
    f"""@order_paid
def points(order, shop):
    'Points per order'
    wait(wait_duration='P14D')
    award_loyalty_points(customer_id={C}, points=100)
""",
    _POINTS,
)
_NET30 = """@company_created
def net30(company, shop):
    'Net 30'
    for locationsForeachitem in company.locations:
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_30')
"""
case(
    "b2b",
    "medium",
    "edit loop",
    "change it to net 45",
    """@company_created
def net30(company, shop):
    'Net 30'
    for locationsForeachitem in company.locations:
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_45')
""",
    _NET30,
)
case(
    "b2b",
    "hard",
    "edit loop email",
    "after setting the terms, email ar@company.com that the company was set up",
    """@company_created
def net30(company, shop):
    'Net 30'
    for locationsForeachitem in company.locations:
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_30')
    send_internal_email(address='ar@company.com', subject='{{company.name}} set up', message='Net 30 terms applied to all locations.')
""",
    _NET30,
)
_DUN = """@billing_attempt_failed
def retry(subscriptionBillingAttempt, shop):
    'Retry billing'
    wait(wait_duration='P1D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
"""
case(
    "payment_reminders",
    "medium",
    "edit wait",
    "wait 3 days instead",
    """@billing_attempt_failed
def retry(subscriptionBillingAttempt, shop):
    'Retry billing'
    wait(wait_duration='P3D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
""",
    _DUN,
)
case(
    "payment_reminders",
    "hard",
    "edit wait email",
    "and email billing@shop.com before waiting",
    """@billing_attempt_failed
def retry(subscriptionBillingAttempt, shop):
    'Retry billing'
    send_internal_email(address='billing@shop.com', subject='Billing failed', message='{{subscriptionBillingAttempt.errorMessage}}')
    wait(wait_duration='P1D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
""",
    _DUN,
)
_REDIRECT = """@product_status_updated
def redirect_archived(oldStatus, product, shop):
    'Redirect archived products'
    if product.status == ProductStatus.ARCHIVED:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/all')
"""
case(
    "buyer_experience",
    "medium",
    "edit",
    "redirect to /collections/sale instead",
    """@product_status_updated
def redirect_archived(oldStatus, product, shop):
    'Redirect archived products'
    if product.status == ProductStatus.ARCHIVED:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/sale')
""",
    _REDIRECT,
)
case(
    "buyer_experience",
    "hard",
    "edit condition complex_condition",
    "do the same for products set back to draft",
    """@product_status_updated
def redirect_archived(oldStatus, product, shop):
    'Redirect archived products'
    if product.status == ProductStatus.ARCHIVED or product.status == ProductStatus.DRAFT:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/all')
""",
    _REDIRECT,
)
_GIFT = """@order_created
def gift_message(order, shop):
    'Save gift message'
    if any(customAttributes_item.key == 'gift_message' for customAttributes_item in order.customAttributes):
        add_order_tags(order_id=order.id, tags=['gift'])
"""
case(
    "custom_data",
    "medium",
    "edit",
    "also save the order name in the metafield custom.gift_order",
    """@order_created
def gift_message(order, shop):
    'Save gift message'
    if any(customAttributes_item.key == 'gift_message' for customAttributes_item in order.customAttributes):
        add_order_tags(order_id=order.id, tags=['gift'])
        update_order_metafield(order_id=order.id, metafield={'namespace': 'custom', 'key': 'gift_order', 'type': 'single_line_text_field'}, value='{{order.name}}')
""",
    _GIFT,
)
_SUMMER = f"""@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes:
        add_order_tags(order_id={O}, tags=['summer-sale'])
"""
case(
    "promotions",
    "hard",
    "edit condition complex_condition",
    "also count SUMMER25 as the summer sale",
    f"""@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes or 'SUMMER25' in order.discountCodes:
        add_order_tags(order_id={O}, tags=['summer-sale'])
""",
    _SUMMER,
)
case(
    "promotions",
    "medium",
    "edit email",
    "email marketing@shop.com each time too",
    f"""@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes:
        add_order_tags(order_id={O}, tags=['summer-sale'])
        send_internal_email(address='marketing@shop.com', subject='SUMMER20 used', message='{{{{order.name}}}} used SUMMER20')
""",
    _SUMMER,
)

# ---------------------------------------------------------------- more complex conditions (16% of field failures)
case(
    "orders",
    "hard",
    "condition complex_condition",
    "tag orders 'review' if the total is between $300 and $600 and the customer has fewer than 3 orders",
    f"""@order_created
def mid_review(order, shop):
    'Mid-value review'
    if order.totalPriceSet.shopMoney.amount >= Money('300') and order.totalPriceSet.shopMoney.amount <= Money('600') and order.customer.numberOfOrders < 3:
        add_order_tags(order_id={O}, tags=['review'])
""",
)
case(
    "customers",
    "hard",
    "condition complex_condition",
    "when customer tags are added, if they include wholesale but not approved, add a note 'Pending approval'",
    """@customer_tags_added
def pending(tags, customer, shop):
    'Pending approval'
    if 'wholesale' in tags and 'approved' not in customer.tags:
        update_customer_note(customer_id=customer.id, note='Pending approval', append=True)
""",
)
case(
    "inventory_and_merch",
    "hard",
    "condition complex_condition",
    "tag new products 'needs-images' if the description is empty or the product type is missing",
    """@product_created
def needs_images(product, shop):
    'Needs content'
    if is_empty(product.descriptionHtml) or is_empty(product.productType):
        add_product_tags(product_id=product.id, tags=['needs-images'])
""",
)
case(
    "orders",
    "hard",
    "condition complex_condition loop",
    "if every item in the order is from vendor 'House Brand' and the order is over $75, tag it house-only",
    f"""@order_created
def house_only(order, shop):
    'House brand only'
    if all(lineItems_item.vendor == 'House Brand' for lineItems_item in order.lineItems) and order.totalPriceSet.shopMoney.amount > Money('75'):
        add_order_tags(order_id={O}, tags=['house-only'])
""",
)
case(
    "risk",
    "hard",
    "condition complex_condition",
    "Flag orders where the shipping country is not US, CA or GB and the order is over $250",
    f"""@order_created
def intl_flag(order, shop):
    'International flag'
    if order.shippingAddress.countryCodeV2 not in ['US', 'CA', 'GB'] and order.totalPriceSet.shopMoney.amount > Money('250'):
        flag_order_for_review(order_id={O}, reason='International high value')
""",
)
case(
    "promotions",
    "hard",
    "condition complex_condition",
    "tag customers 'promo-hunter' when an order uses a discount code and the discount is more than 30 dollars",
    f"""@order_created
def promo_hunter(order, shop):
    'Promo hunters'
    if not is_empty(order.discountCodes) and order.totalDiscountsSet.shopMoney.amount > Money('30'):
        add_customer_tags(customer_id={C}, tags=['promo-hunter'])
""",
)
case(
    "loyalty",
    "hard",
    "condition complex_condition",
    "When points change, if they went negative or the balance is under 0, email loyalty@shop.com",
    """@loyalty_points_changed
def negative(customer, pointsChange, pointsBalance, shop):
    'Negative balance'
    if pointsChange < 0 and pointsBalance < 0:
        send_internal_email(address='loyalty@shop.com', subject='Negative balance', message='{{customer.email}} has {{pointsBalance}} points')
""",
)
case(
    "fulfillment",
    "hard",
    "condition complex_condition",
    "When a return is requested for more than 3 items or on an order over $500, tag the order return-review instead of approving; else approve",
    """@return_requested
def return_review(shop):
    'Return review'
    if env('return.totalQuantity') > 3 or env('return.order.totalPriceSet.shopMoney.amount') > Money('500'):
        add_order_tags(order_id='return.order.id', tags=['return-review'])
    else:
        approve_return_request(return_id='return.id')
""",
)

# ---------------------------------------------------------------- more waits and get-data
case(
    "customers",
    "hard",
    "wait condition",
    "2 days after a customer signs up, if they still have 0 orders add the tag nudge",
    """@customer_created
def nudge(customer, shop):
    'Nudge new customers'
    wait(wait_duration='P2D')
    if customer.numberOfOrders == 0:
        add_customer_tags(customer_id=customer.id, tags=['nudge'])
""",
)
case(
    "orders",
    "medium",
    "wait",
    "archive orders 60 days after they're fulfilled",
    f"""@order_fulfilled
def archive_later(order, shop):
    'Archive after 60 days'
    wait(wait_duration='P60D')
    archive_order(order_id={O})
""",
)
case(
    "inventory_and_merch",
    "hard",
    "get_data loop condition schedule",
    "Nightly, look at products with less than 5 in total inventory and tag them low-stock",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T020000\\nRRULE:FREQ=DAILY'])
def nightly_low(scheduledAt, shop):
    'Nightly low stock'
    getProductData = get_product_data(query='status:active', max_root_records=100)
    for getProductDataForeachitem in getProductData:
        if getProductDataForeachitem.totalInventory < 5:
            add_product_tags(product_id=getProductDataForeachitem.id, tags=['low-stock'])
""",
)
case(
    "orders",
    "hard",
    "get_data schedule email",
    "every friday at 5pm email me at owner@shop.com how many orders we got this week",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260109T170000\\nRRULE:FREQ=WEEKLY;BYDAY=FR'])
def weekly_count(scheduledAt, shop):
    'Weekly order count'
    getOrderData = get_order_data(query='created_at:>-7d', max_root_records=100)
    count = count(listpath='getOrderData')
    send_internal_email(address='owner@shop.com', subject='This week', message='{{count}} orders this week')
""",
)
case(
    "buyer_experience",
    "hard",
    "get_data loop schedule",
    "Every day publish any products that are tagged launch-today",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T060000\\nRRULE:FREQ=DAILY'])
def launch(scheduledAt, shop):
    'Daily launches'
    getProductData = get_product_data(query='tag:launch-today', max_root_records=100)
    for getProductDataForeachitem in getProductData:
        publish_product(product_id=getProductDataForeachitem.id)
        remove_product_tags(product_id=getProductDataForeachitem.id, tags=['launch-today'])
""",
)
case(
    "promotions",
    "medium",
    "wait connector",
    "one day after an abandoned checkout, add the customer to the email list cart-recovery",
    """@customer_abandons_checkout
def recovery(customer, abandonment, shop):
    'Cart recovery'
    wait(wait_duration='P1D')
    add_customer_tags(customer_id=customer.id, tags=['cart-recovery'])
""",
)
case(
    "custom_data",
    "hard",
    "get_data loop schedule",
    "each night mark every collection with 'Sale' in the title with the metafield flow.on_sale = true",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T010000\\nRRULE:FREQ=DAILY'])
def sale_collections(scheduledAt, shop):
    'Sale collections'
    getCollectionData = get_collection_data(query='title:*Sale*', max_root_records=100)
    for getCollectionDataForeachitem in getCollectionData:
        update_collection_metafield(collection_id=getCollectionDataForeachitem.id, namespace='flow', key='on_sale', value='true', type='boolean')
""",
)
case(
    "b2b",
    "hard",
    "get_data loop schedule",
    "weekly, tag every company in our system with 'active-b2b' metafield status=active",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\\nRRULE:FREQ=WEEKLY'])
def company_status(scheduledAt, shop):
    'Company status'
    getCompanyData = get_company_data(max_root_records=100)
    for getCompanyDataForeachitem in getCompanyData:
        update_company_metafield(company_id=getCompanyDataForeachitem.id, namespace='b2b', key='status', value='active', type='single_line_text_field')
""",
)
case(
    "error_monitoring",
    "hard",
    "get_data schedule email condition",
    "Every hour check for orders stuck in pending payment for over a day and email ops@shop.com if there are any",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T000000\\nRRULE:FREQ=HOURLY'])
def stuck_orders(scheduledAt, shop):
    'Stuck orders'
    getOrderData = get_order_data(query="financial_status:pending created_at:<'-1d'", max_root_records=100)
    count = count(listpath='getOrderData')
    if count > 0:
        send_internal_email(address='ops@shop.com', subject='{{count}} stuck orders', message='{% for o in getOrderData %}{{ o.name }}\\n{% endfor %}')
""",
)
case(
    "payment_reminders",
    "hard",
    "wait condition email",
    "a week after a payment is due, if the order still isn't fully paid email ar@shop.com",
    """@payment_schedule_due
def overdue(paymentSchedule, order, shop):
    'Overdue follow-up'
    wait(wait_duration='P7D')
    if order.fullyPaid == False:
        send_internal_email(address='ar@shop.com', subject='Overdue: {{order.name}}', message='{{paymentSchedule.amount.amount}} was due {{paymentSchedule.dueAt}}')
""",
)

# ---------------------------------------------------------------- more triggers and actions
# Two per category, on triggers and actions the cases above do not use yet.
case(
    "orders",
    "easy",
    "",
    "when a draft order is created, tag it 'needs-review'",
    """@draft_order_created
def review_drafts(draftOrder, shop):
    'Review new drafts'
    add_draft_order_tags(draft_order_id=draftOrder.id, tags=['needs-review'])
""",
)
case(
    "orders",
    "medium",
    "condition",
    "mark POS orders as paid when they come in with a pending payment",
    f"""@order_created
def pos_mark_paid(order, shop):
    'Mark POS orders paid'
    if order.sourceName == 'pos' and order.displayFinancialStatus == OrderDisplayFinancialStatus.PENDING:
        mark_order_as_paid(order_id={O})
""",
)
case(
    "risk",
    "medium",
    "condition",
    "If an order's billing and shipping countries differ, add a medium risk assessment saying so",
    f"""@order_created
def country_mismatch(order, shop):
    'Country mismatch risk'
    if order.billingAddress.countryCodeV2 != order.shippingAddress.countryCodeV2:
        create_order_risk_assessment(order_id={O}, risk_level='MEDIUM', message='Billing and shipping countries differ', source='Flow')
""",
)
case(
    "risk",
    "hard",
    "condition complex_condition",
    "capture payment automatically unless the order is high risk or over $2000",
    f"""@order_created
def capture_safe(order, shop):
    'Capture safe orders'
    if order.riskLevel != OrderRiskLevel.HIGH and order.totalPriceSet.shopMoney.amount <= Money('2000'):
        capture_payment(order_id={O})
""",
)
case(
    "inventory_and_merch",
    "easy",
    "",
    "whenever a collection is created, set its metafield merch.reviewed to false",
    """@collection_created
def new_collection(collection, shop):
    'Flag new collections'
    update_collection_metafield(collection_id=collection.id, namespace='merch', key='reviewed', value='false', type='boolean')
""",
)
case(
    "inventory_and_merch",
    "medium",
    "email",
    "When an inventory transfer is completed, email receiving@shop.com",
    """@inventory_transfer_completed
def transfer_done(inventoryTransfer, shop):
    'Transfer completed'
    send_internal_email(address='receiving@shop.com', subject='Transfer {{inventoryTransfer.name}} completed', message='Transfer {{inventoryTransfer.name}} has arrived.')
""",
)
case(
    "buyer_experience",
    "medium",
    "",
    "automatically complete draft orders as soon as they are created, leaving payment pending",
    """@draft_order_created
def complete_drafts(draftOrder, shop):
    'Complete drafts'
    complete_draft_order(draft_order_id=draftOrder.id, payment_pending=True)
""",
)
case(
    "buyer_experience",
    "easy",
    "",
    "close returns once they have been processed",
    """@return_processed
def close_processed(shop):
    'Close processed returns'
    close_return(return_id='return.id')
""",
)
case(
    "customers",
    "easy",
    "",
    "tag customers 'segment-member' when they join a segment",
    """@customer_joined_segment
def segment_tag(customer, segment, shop):
    'Segment member tag'
    add_customer_tags(customer_id=customer.id, tags=['segment-member'])
""",
)
case(
    "customers",
    "medium",
    "",
    "when a customer's payment method is revoked, add a note to the customer saying their card was removed",
    """@customer_payment_method_revoked
def card_removed(customerPaymentMethod, customer, shop):
    'Card removed note'
    update_customer_note(customer_id=customer.id, note='Payment method revoked', append=True)
""",
)
case(
    "loyalty",
    "medium",
    "condition",
    "give 250 bonus points when a paid order includes a gift card",
    f"""@order_paid
def gift_card_points(order, shop):
    'Gift card bonus'
    if any(lineItems_item.isGiftCard == True for lineItems_item in order.lineItems):
        award_loyalty_points(customer_id={C}, points=250, reason='Gift card bonus')
""",
)
case(
    "loyalty",
    "hard",
    "wait condition",
    "two weeks after an order is fulfilled, if it wasn't refunded, award the customer 50 points",
    f"""@order_fulfilled
def late_points(order, shop):
    'Points after two weeks'
    wait(wait_duration='P14D')
    if order.displayFinancialStatus != OrderDisplayFinancialStatus.REFUNDED:
        award_loyalty_points(customer_id={C}, points=50, reason='Thanks for keeping your order')
""",
)
case(
    "promotions",
    "medium",
    "email",
    "Email marketing@shop.com every time a discount code is created",
    """@discount_code_created
def new_code(discount, shop):
    'New discount code'
    send_internal_email(address='marketing@shop.com', subject='New discount code', message='{{discount.title}} was created.')
""",
)
case(
    "promotions",
    "medium",
    "condition",
    "when an automatic discount is created with 'TEST' in the title, deactivate it",
    """@automatic_discount_created
def no_test_discounts(discount, shop):
    'Deactivate test discounts'
    if 'TEST' in discount.title:
        deactivate_discount(discount_id=discount.id)
""",
)
case(
    "fulfillment",
    "medium",
    "connector",
    "post in #warehouse on Slack whenever a fulfillment order is put on hold",
    """@fulfillment_order_placed_on_hold
def hold_slack(fulfillmentOrder, shop):
    'Hold alert'
    send_slack_message(channel='#warehouse', message='Fulfillment order {{fulfillmentOrder.id}} is on hold')
""",
)
case(
    "fulfillment",
    "medium",
    "condition",
    "submit a fulfillment request for orders shipping to the UK as soon as they are paid",
    """@order_paid
def uk_requests(order, shop):
    'UK fulfillment requests'
    if order.shippingAddress.countryCodeV2 == 'GB':
        for fulfillmentOrders_item in order.fulfillmentOrders:
            submit_fulfillment_request(fulfillment_order_id=fulfillmentOrders_item.id, notify_customer=True)
""",
)
case(
    "b2b",
    "medium",
    "",
    "when a company location is created, set its payment terms to net 30",
    """@company_location_created
def location_terms(companyLocation, shop):
    'Net 30 for new locations'
    update_payment_terms(company_location_id=companyLocation.id, payment_terms='NET_30')
""",
)
case(
    "b2b",
    "easy",
    "",
    "send the B2B access email to every new company contact",
    """@company_contact_created
def contact_access(companyContact, shop):
    'Send B2B access'
    send_b2b_access_email(company_contact_id=companyContact.id)
""",
)
case(
    "payment_reminders",
    "medium",
    "email",
    "resend the invoice with a reminder message when a payment is due",
    """@payment_schedule_due
def due_invoice(paymentSchedule, order, shop):
    'Invoice on due date'
    send_order_invoice(order_id=order.id, custom_message='Your payment is due today.')
""",
)
case(
    "payment_reminders",
    "hard",
    "get_data loop schedule",
    "every day at 7, tag orders with an expired payment due date 'overdue'",
    """@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T070000\\nRRULE:FREQ=DAILY'])
def tag_overdue(scheduledAt, shop):
    'Tag overdue orders'
    getOrderData = get_order_data(query='financial_status:expired', max_root_records=100)
    for getOrderDataForeachitem in getOrderData:
        add_order_tags(order_id=getOrderDataForeachitem.id, tags=['overdue'])
""",
)
case(
    "custom_data",
    "medium",
    "",
    "when a metaobject entry is created, log its handle",
    """@metaobject_entry_created
def log_entry(metaobject, shop):
    'Log new entries'
    log_output(message='{{metaobject.handle}}')
""",
)
case(
    "custom_data",
    "medium",
    "",
    "store the product's vendor in the product metafield custom.brand when a product is created",
    """@product_created
def brand_metafield(product, shop):
    'Brand metafield'
    update_product_metafield(product_id=product.id, namespace='custom', key='brand', value='{{product.vendor}}', type='single_line_text_field')
""",
)
case(
    "error_monitoring",
    "medium",
    "connector",
    "post every workflow error to #flow-errors on Slack",
    """@workflow_error_occurred
def errors_slack(workflowError, shop):
    'Errors to Slack'
    send_slack_message(channel='#flow-errors', message='{{workflowError.workflowName}} failed: {{workflowError.errorMessage}}')
""",
)
case(
    "error_monitoring",
    "medium",
    "condition",
    "when the workflow named 'ERP sync' fails, log the error message",
    """@workflow_error_occurred
def log_erp_errors(workflowError, shop):
    'Log ERP sync errors'
    if workflowError.workflowName == 'ERP sync':
        log_output(message='{{workflowError.errorMessage}}')
""",
)
