# request: submit a fulfillment request for orders shipping to the UK as soon as they are paid
# difficulty: medium
# features: condition
@order_paid
def uk_requests(order, shop):
    'UK fulfillment requests'
    if order.shippingAddress.countryCodeV2 == 'GB':
        for fulfillmentOrders_item in order.fulfillmentOrders:
            submit_fulfillment_request(fulfillment_order_id=fulfillmentOrders_item.id, notify_customer=True)
