# request: When a shipment has an exception email cs@shop.com with the tracking number and tag the order shipping-issue
# difficulty: hard
# features: condition email
@shipment_exception
def shipping_issue(shipment, order, shop):
    'Shipment exception'
    add_order_tags(order_id=order.id, tags=['shipping-issue'])
    send_internal_email(address='cs@shop.com', subject='Shipment problem on {{order.name}}', message='Tracking {{shipment.trackingNumber}} ({{shipment.carrier}}): {{shipment.status}}')
