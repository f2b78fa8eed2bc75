# request: make it 2 hours instead of 30 minutes
# difficulty: hard
# features: edit wait loop
# existing:
@order_created
def hold_then_release(order, shop):
    'Hold 30 minutes'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER')
    wait(wait_duration='PT30M')
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        release_fulfillment_order_hold(fulfillment_order_id=fulfillmentOrdersForeachitem.id)
# expected:
@order_created
def hold_then_release(order, shop):
    'Hold 30 minutes'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER')
    wait(wait_duration='PT2H')
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        release_fulfillment_order_hold(fulfillment_order_id=fulfillmentOrdersForeachitem.id)
