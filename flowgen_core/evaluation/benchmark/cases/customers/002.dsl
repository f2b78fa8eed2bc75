# request: Each week tag customers who haven't ordered in 90 days as lapsed
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY'])
def lapsed(scheduledAt, shop):
    'Weekly lapsed customers'
    getCustomerData = get_customer_data(query="last_order_date:<'-90d' AND -tag:lapsed", max_root_records=100)
    for getCustomerDataForeachitem in getCustomerData:
        add_customer_tags(customer_id=getCustomerDataForeachitem.id, tags=['lapsed'])
