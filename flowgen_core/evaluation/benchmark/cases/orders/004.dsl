# request: When someone places an order over 2000, tag it whale so we notice
# difficulty: easy
# features: condition
@order_created
def tag_orders(order, shop):
    'Tag high-value orders'
    if order.totalPriceSet.shopMoney.amount > Money('2000'):
        add_order_tags(order_id=order.id, tags=['whale'])
