# request: every day at 7, tag orders with an expired payment due date 'overdue'
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T070000\nRRULE:FREQ=DAILY'])
def tag_overdue(scheduledAt, shop):
    'Tag overdue orders'
    getOrderData = get_order_data(query='financial_status:expired', max_root_records=100)
    for getOrderDataForeachitem in getOrderData:
        add_order_tags(order_id=getOrderDataForeachitem.id, tags=['overdue'])
