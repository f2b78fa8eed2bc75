# request: wait 5 days after fulfillment and then send a review request
# difficulty: medium
# features: wait connector
@order_fulfilled
def review_later(order, shop):
    'Review request after 5 days'
    wait(wait_duration='P5D')
    request_review(order_id=order.id)
