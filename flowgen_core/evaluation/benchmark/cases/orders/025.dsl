# request: archive orders 60 days after they're fulfilled
# difficulty: medium
# features: wait
@order_fulfilled
def archive_later(order, shop):
    'Archive after 60 days'
    wait(wait_duration='P60D')
    archive_order(order_id=order.id)
