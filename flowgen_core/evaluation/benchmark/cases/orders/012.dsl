# request: Every morning at 8 send ops@ourstore.com a list of orders still unfulfilled from the last 2 days
# difficulty: hard
# features: get_data loop email schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T080000\nRRULE:FREQ=DAILY'])
def daily_unfulfilled(scheduledAt, shop):
    'Daily unfulfilled orders'
    getOrderData = get_order_data(query='fulfillment_status:unfulfilled created_at:>-2d', max_root_records=100)
    count = count(listpath='getOrderData')
    send_internal_email(address='ops@ourstore.com', subject='{{count}} unfulfilled orders', message='{% for o in getOrderData %}{{ o.name }}\n{% endfor %}')
