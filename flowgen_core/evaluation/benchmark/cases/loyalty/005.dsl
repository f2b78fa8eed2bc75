# request: When an order is refunded take back 100 points from the customer
# difficulty: medium
# features: connector
@refund_created
def deduct(refund, order, shop):
    'Deduct on refund'
    deduct_loyalty_points(customer_id=order.customer.id, points=100, reason='Refund')
