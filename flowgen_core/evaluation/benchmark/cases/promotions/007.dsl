# request: send a Purchase conversion to Meta ads on each paid order
# difficulty: easy
# features: connector
@order_paid
def meta(order, shop):
    'Meta conversion'
    send_meta_conversion(event_name='Purchase', value='{{order.totalPriceSet.shopMoney.amount}}')
