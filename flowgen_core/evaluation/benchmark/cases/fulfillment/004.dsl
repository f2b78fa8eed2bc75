# request: If the fulfillment service fails to complete a fulfillment email warehouse@shop.com
# difficulty: medium
# features: email
@fulfillment_service_failed
def failed(fulfillmentOrder, shop):
    'Fulfillment failed'
    send_internal_email(address='warehouse@shop.com', subject='Fulfillment failed', message='Fulfillment order {{fulfillmentOrder.id}} for {{fulfillmentOrder.order.name}} failed.')
