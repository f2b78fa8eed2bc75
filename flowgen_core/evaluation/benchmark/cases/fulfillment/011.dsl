# request: every 6 hours release any fulfillment orders that are on hold
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=HOURLY;INTERVAL=6'])
def release_holds(scheduledAt, shop):
    'Release holds'
    getFulfillmentOrderData = get_fulfillment_order_data(query='status:on_hold', max_root_records=100)
    for getFulfillmentOrderDataForeachitem in getFulfillmentOrderData:
        release_fulfillment_order_hold(fulfillment_order_id=getFulfillmentOrderDataForeachitem.id)
