# request: also count SUMMER25 as the summer sale
# difficulty: hard
# features: edit condition complex_condition
# existing:
@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes:
        add_order_tags(order_id=order.id, tags=['summer-sale'])
# expected:
@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes or 'SUMMER25' in order.discountCodes:
        add_order_tags(order_id=order.id, tags=['summer-sale'])
