# request: move all fulfillment orders of new orders to our backup warehouse location gid://shopify/Location/2
# difficulty: medium
# features: loop
@order_created
def move_fo(order, shop):
    'Move to backup warehouse'
    for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
        move_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, new_location_id='gid://shopify/Location/2')
