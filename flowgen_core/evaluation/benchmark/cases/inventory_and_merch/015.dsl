# request: email the merch team merch@shop.com when a new collection is created
# difficulty: medium
# features: email
@collection_created
def new_collection(collection, shop):
    'New collection email'
    send_internal_email(address='merch@shop.com', subject='New collection {{collection.title}}', message='{{collection.title}} ({{collection.handle}}) was created.')
