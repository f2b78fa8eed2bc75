# request: Each new metaobject entry of type store_location should be logged to our Airtable base app1 table Locations
# difficulty: medium
# features:
@metaobject_entry_created
def airtable_locations(metaobject, shop):
    'Locations to Airtable'
    create_airtable_record(base_id='app1', table_name='Locations', fields={'handle': '{{metaobject.handle}}', 'name': '{{metaobject.displayName}}'})
