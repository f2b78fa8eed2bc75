# request: Orders with free shipping (shipping price 0) over $100 get tagged free-ship-promo
# difficulty: medium
# features: condition
@order_created
def free_ship(order, shop):
    'Free shipping promo'
    if order.totalShippingPriceSet.shopMoney.amount == Money('0') and order.totalPriceSet.shopMoney.amount > Money('100'):
        add_order_tags(order_id=order.id, tags=['free-ship-promo'])
