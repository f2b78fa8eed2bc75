# request: when a fulfillment request gets rejected, email fulfillment@store.com
# difficulty: medium
# features: email
@fulfillment_request_rejected
def rejected(fulfillmentOrder, shop):
    'Fulfillment request rejected'
    send_internal_email(address='fulfillment@store.com', subject='Request rejected', message='{{fulfillmentOrder.order.name}} was rejected by the fulfillment service.')
