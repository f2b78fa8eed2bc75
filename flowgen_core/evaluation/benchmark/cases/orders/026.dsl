# request: every friday at 5pm email me at owner@shop.com how many orders we got this week
# difficulty: hard
# features: get_data schedule email
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260109T170000\nRRULE:FREQ=WEEKLY;BYDAY=FR'])
def weekly_count(scheduledAt, shop):
    'Weekly order count'
    getOrderData = get_order_data(query='created_at:>-7d', max_root_records=100)
    count = count(listpath='getOrderData')
    send_internal_email(address='owner@shop.com', subject='This week', message='{{count}} orders this week')
