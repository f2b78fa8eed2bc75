# request: tag orders over $500 as high-value
# difficulty: easy
# features: condition
@order_created
def tag_orders(order, shop):
    'Tag high-value orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id=order.id, tags=['high-value'])
