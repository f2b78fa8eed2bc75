# request: Can you add a big-spender tag to any order above 1000 dollars?
# difficulty: easy
# features: condition
@order_created
def tag_orders(order, shop):
    'Tag high-value orders'
    if order.totalPriceSet.shopMoney.amount > Money('1000'):
        add_order_tags(order_id=order.id, tags=['big-spender'])
