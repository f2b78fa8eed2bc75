# request: Customers with 10 or more orders who spent at least $2500: move them to the Platinum tier
# difficulty: hard
# features: condition complex_condition connector
@order_paid
def platinum(order, shop):
    'Platinum tier'
    if order.customer.numberOfOrders >= 10 and order.customer.amountSpent.amount >= Money('2500'):
        set_loyalty_tier(customer_id=order.customer.id, tier_name='Platinum')
