# request: tag orders that used the code SUMMER20 with summer-sale
# difficulty: medium
# features: condition
@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes:
        add_order_tags(order_id=order.id, tags=['summer-sale'])
