# request: double points: orders over $200 get 400 points, others get 100
# difficulty: medium
# features: condition connector
@order_paid
def double_points(order, shop):
    'Double points'
    if order.totalPriceSet.shopMoney.amount > Money('200'):
        award_loyalty_points(customer_id=order.customer.id, points=400)
    else:
        award_loyalty_points(customer_id=order.customer.id, points=100)
