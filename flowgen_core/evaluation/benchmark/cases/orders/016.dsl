# request: Email fulfillment@shop.com whenever an order is cancelled with the order number and reason
# difficulty: medium
# features: email
@order_cancelled
def cancelled(order, shop):
    'Cancelled order email'
    send_internal_email(address='fulfillment@shop.com', subject='Order {{order.name}} cancelled', message='Order {{order.name}} was cancelled at {{order.cancelledAt}}.')
