# request: wait 14 days before awarding (after the return window)
# difficulty: hard
# features: edit wait
# existing:
@order_paid
def points(order, shop):
    'Points per order'
    award_loyalty_points(customer_id=order.customer.id, points=100)
# expected:
@order_paid
def points(order, shop):
    'Points per order'
    wait(wait_duration='P14D')
    award_loyalty_points(customer_id=order.customer.id, points=100)
