# request: award 100 points on every paid order
# difficulty: easy
# features: connector
@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id=order.customer.id, points=100)
