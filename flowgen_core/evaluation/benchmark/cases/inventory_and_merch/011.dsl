# request: Every Monday find draft products and tag them needs-review
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO'])
def weekly_draft_review(scheduledAt, shop):
    'Weekly draft review'
    getProductData = get_product_data(query='status:draft', max_root_records=100)
    for getProductDataForeachitem in getProductData:
        add_product_tags(product_id=getProductDataForeachitem.id, tags=['needs-review'])
