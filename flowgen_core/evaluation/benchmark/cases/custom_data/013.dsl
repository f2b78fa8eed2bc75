# request: each night mark every collection with 'Sale' in the title with the metafield flow.on_sale = true
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T010000\nRRULE:FREQ=DAILY'])
def sale_collections(scheduledAt, shop):
    'Sale collections'
    getCollectionData = get_collection_data(query='title:*Sale*', max_root_records=100)
    for getCollectionDataForeachitem in getCollectionData:
        update_collection_metafield(collection_id=getCollectionDataForeachitem.id, namespace='flow', key='on_sale', value='true', type='boolean')
