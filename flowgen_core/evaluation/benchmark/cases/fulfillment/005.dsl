# request: orders with any line item that doesn't need shipping (digital) should be marked fulfilled automatically
# difficulty: medium
# features: condition loop
@order_paid
def digital(order, shop):
    'Auto-fulfil digital'
    if all(lineItems_item.requiresShipping == False for lineItems_item in order.lineItems):
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            mark_fulfilled(fulfillment_order_id=fulfillmentOrdersForeachitem.id, notify_customer=True)
