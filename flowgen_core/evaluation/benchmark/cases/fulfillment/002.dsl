# request: when a fulfillment order is placed on hold, tag the order on-hold
# difficulty: easy
# features:
@fulfillment_order_placed_on_hold
def tag_hold(fulfillmentOrder, shop):
    'Tag held orders'
    add_order_tags(order_id=fulfillmentOrder.order.id, tags=['on-hold'])
