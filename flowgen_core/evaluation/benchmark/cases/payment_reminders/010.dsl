# request: mark orders paid when the tender transaction is cash... just mark POS orders as paid
# difficulty: easy
# features:
@order_created
def pos_paid(order, shop):
    'POS paid'
    if order.sourceName == 'pos':
        mark_order_as_paid(order_id=order.id)
