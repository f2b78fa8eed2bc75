# request: resend the order confirmation whenever an order gets its shipping address changed... actually just resend confirmation on every new order from the online store
# difficulty: easy
# features:
@order_created
def resend_confirmation(order, shop):
    'Resend confirmation'
    if order.sourceName == 'web':
        resend_order_confirmation(order_id=order.id)
