# request: post in #warehouse on Slack whenever a fulfillment order is put on hold
# difficulty: medium
# features: connector
@fulfillment_order_placed_on_hold
def hold_slack(fulfillmentOrder, shop):
    'Hold alert'
    send_slack_message(channel='#warehouse', message='Fulfillment order {{fulfillmentOrder.id}} is on hold')
