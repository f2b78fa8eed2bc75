# request: Remove the on-hold tag when the hold is released
# difficulty: easy
# features:
@fulfillment_order_hold_released
def untag_hold(fulfillmentOrder, shop):
    'Untag released'
    remove_order_tags(order_id=fulfillmentOrder.order.id, tags=['on-hold'])
