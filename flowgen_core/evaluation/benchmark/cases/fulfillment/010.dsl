# request: send the customer an SMS when their shipment is delivered
# difficulty: medium
# features: connector
@shipment_delivered
def delivered_sms(shipment, order, shop):
    'Delivered SMS'
    send_sms(to='{{order.phone}}', body='Your order {{order.name}} was delivered!')
