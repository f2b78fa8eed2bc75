# request: weekly sales report: run the ShopifyQL query 'FROM sales SHOW total_sales SINCE -7d' every Monday and log it
# difficulty: medium
# features: schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T060000\nRRULE:FREQ=WEEKLY;BYDAY=MO'])
def weekly_sales(scheduledAt, shop):
    'Weekly sales'
    getAnalyticsData = get_analytics_data(query='FROM sales SHOW total_sales SINCE -7d')
    log_output(message='{{getAnalyticsData.tableData}}')
