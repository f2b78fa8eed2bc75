# request: A week after someone pays, if they've spent 1000 or more overall, tag them VIP and give 500 points
# difficulty: hard
# features: wait condition
@order_paid
def vip_after_week(order, shop):
    'VIP after a week'
    wait(wait_duration='P7D')
    if order.customer.amountSpent.amount >= Money('1000'):
        add_customer_tags(customer_id=order.customer.id, tags=['VIP'])
        award_loyalty_points(customer_id=order.customer.id, points=500, reason='Welcome to VIP')
