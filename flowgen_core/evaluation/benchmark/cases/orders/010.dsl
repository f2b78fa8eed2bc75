# request: Archive orders automatically once they're fulfilled
# difficulty: easy
# features:
@order_fulfilled
def archive_fulfilled(order, shop):
    'Archive fulfilled orders'
    archive_order(order_id=order.id)
