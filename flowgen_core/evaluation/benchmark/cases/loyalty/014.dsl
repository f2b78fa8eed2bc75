# request: bump it to 150 points
# difficulty: easy
# features: edit
# existing:
@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id=order.customer.id, points=100)
# expected:
@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id=order.customer.id, points=150)
