# request: On the first of each month give every customer tagged vip 250 points
# difficulty: hard
# features: get_data loop schedule connector
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260101T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1'])
def monthly_vip_points(scheduledAt, shop):
    'Monthly VIP points'
    getCustomerData = get_customer_data(query='tag:vip', max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        award_loyalty_points(customer_id=getCustomerDataForeachitem.id, points=250, reason='Monthly VIP bonus')
