# request: orders worth more than $250 should get the priority tag
# difficulty: easy
# features: condition
@order_created
def tag_orders(order, shop):
    'Tag high-value orders'
    if order.totalPriceSet.shopMoney.amount > Money('250'):
        add_order_tags(order_id=order.id, tags=['priority'])
