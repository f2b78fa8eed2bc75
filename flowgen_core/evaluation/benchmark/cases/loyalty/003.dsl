# request: Give customers 50 loyalty points each time they order and pay
# difficulty: easy
# features: connector
@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id=order.customer.id, points=50)
