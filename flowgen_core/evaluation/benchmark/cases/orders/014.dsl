# request: tag orders that are test orders with 'test' and archive them
# difficulty: medium
# features: condition
@order_created
def test_orders(order, shop):
    'Archive test orders'
    if order.test == True:
        add_order_tags(order_id=order.id, tags=['test'])
        archive_order(order_id=order.id)
