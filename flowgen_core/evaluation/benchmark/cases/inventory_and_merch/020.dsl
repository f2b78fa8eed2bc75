# request: Nightly, look at products with less than 5 in total inventory and tag them low-stock
# difficulty: hard
# features: get_data loop condition schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T020000\nRRULE:FREQ=DAILY'])
def nightly_low(scheduledAt, shop):
    'Nightly low stock'
    getProductData = get_product_data(query='status:active', max_root_records=100)
    for getProductDataForeachitem in getProductData:
        if getProductDataForeachitem.totalInventory < 5:
            add_product_tags(product_id=getProductDataForeachitem.id, tags=['low-stock'])
