# request: Every Monday send payment reminders for all orders with financial status pending, by tagging them reminder-sent and emailing an invoice
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO'])
def weekly_reminders(scheduledAt, shop):
    'Weekly payment reminders'
    getOrderData = get_order_data(query='financial_status:pending', max_root_records=100)
    for getOrderDataForeachitem in getOrderData:
        send_order_invoice(order_id=getOrderDataForeachitem.id)
        add_order_tags(order_id=getOrderDataForeachitem.id, tags=['reminder-sent'])
