# request: also email them the winback marketing email gid://shopify/MarketingActivity/9
# difficulty: hard
# features: edit get_data loop email
# existing:
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-90d'", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
# expected:
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-90d'", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
        send_marketing_email(customer_id=getCustomerDataForeachitem.id, marketing_activity_id='gid://shopify/MarketingActivity/9')
