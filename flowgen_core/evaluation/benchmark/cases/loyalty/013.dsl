# request: only for orders over $50
# difficulty: medium
# features: edit condition
# existing:
@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id=order.customer.id, points=100)
# expected:
@order_paid
def points(order, shop):
    'Points per order'
    if order.totalPriceSet.shopMoney.amount > Money('50'):
        award_loyalty_points(customer_id=order.customer.id, points=100)
