# request: Every day publish any products that are tagged launch-today
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T060000\nRRULE:FREQ=DAILY'])
def launch(scheduledAt, shop):
    'Daily launches'
    getProductData = get_product_data(query='tag:launch-today', max_root_records=100)
    for getProductDataForeachitem in getProductData:
        publish_product(product_id=getProductDataForeachitem.id)
        remove_product_tags(product_id=getProductDataForeachitem.id, tags=['launch-today'])
