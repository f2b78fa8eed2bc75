# request: two weeks after an order is fulfilled, if it wasn't refunded, award the customer 50 points
# difficulty: hard
# features: wait condition
@order_fulfilled
def late_points(order, shop):
    'Points after two weeks'
    wait(wait_duration='P14D')
    if order.displayFinancialStatus != OrderDisplayFinancialStatus.REFUNDED:
        award_loyalty_points(customer_id=order.customer.id, points=50, reason='Thanks for keeping your order')
