# request: On the 1st of every month total the last 30 days of orders and email ceo@brand.com if it's over 10000
# difficulty: hard
# features: get_data condition email schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260101T000000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1'])
def monthly_total(scheduledAt, shop):
    'Monthly total'
    getOrderData = get_order_data(query='created_at:>-30d', max_root_records=100)
    sum = sum(listpath='getOrderData', value_path='totalPriceSet.shopMoney.amount')
    if sum > Decimal('10000'):
        send_internal_email(address='ceo@brand.com', subject='Big month', message='{{sum}} in the last 30 days')
