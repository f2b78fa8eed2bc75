# request: create a shipping label automatically for paid orders
# difficulty: easy
# features: connector
@order_paid
def label(order, shop):
    'Create labels'
    create_shipping_label(order_id=order.id)
