# request: hold new orders for 30 minutes then release them, so customers can edit
# difficulty: hard
# features: wait loop
@order_created
def hold_then_release(order, shop):
    'Hold 30 minutes'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER', reason_notes='Edit window')
    wait(wait_duration='PT30M')
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        release_fulfillment_order_hold(fulfillment_order_id=fulfillmentOrdersForeachitem.id)
