# request: Every Sunday night deactivate all active discounts with 'FLASH' in the title
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260104T230000\nRRULE:FREQ=WEEKLY;BYDAY=SU'])
def end_flash(scheduledAt, shop):
    'End flash sales'
    getDiscountData = get_discount_data(query='status:active title:*FLASH*', max_root_records=100)
    for getDiscountDataForeachitem in getDiscountData:
        deactivate_discount(discount_id=getDiscountDataForeachitem.id)
