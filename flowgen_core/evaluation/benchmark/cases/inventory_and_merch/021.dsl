# request: whenever a collection is created, set its metafield merch.reviewed to false
# difficulty: easy
# features:
@collection_created
def new_collection(collection, shop):
    'Flag new collections'
    update_collection_metafield(collection_id=collection.id, namespace='merch', key='reviewed', value='false', type='boolean')
