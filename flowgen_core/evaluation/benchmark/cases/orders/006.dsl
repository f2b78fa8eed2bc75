# request: every paid order should get a 'paid' tag
# difficulty: easy
# features:
@order_paid
def tag_paid(order, shop):
    'Tag paid orders'
    add_order_tags(order_id=order.id, tags=['paid'])
