# request: Every hour check for orders stuck in pending payment for over a day and email ops@shop.com if there are any
# difficulty: hard
# features: get_data schedule email condition
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T000000\nRRULE:FREQ=HOURLY'])
def stuck_orders(scheduledAt, shop):
    'Stuck orders'
    getOrderData = get_order_data(query="financial_status:pending created_at:<'-1d'", max_root_records=100)
    count = count(listpath='getOrderData')
    if count > 0:
        send_internal_email(address='ops@shop.com', subject='{{count}} stuck orders', message='{% for o in getOrderData %}{{ o.name }}\n{% endfor %}')
