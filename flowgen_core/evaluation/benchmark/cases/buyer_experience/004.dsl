# request: Ask for a review after an order is fulfilled
# difficulty: easy
# features: connector
@order_fulfilled
def ask_review(order, shop):
    'Request reviews'
    request_review(order_id=order.id)
