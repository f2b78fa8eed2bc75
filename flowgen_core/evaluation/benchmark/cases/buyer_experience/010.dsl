# request: For local delivery orders add a note 'Call on arrival' to the order
# difficulty: medium
# features: condition
@order_created
def local_delivery_note(order, shop):
    'Local delivery note'
    if any(customAttributes_item.value == 'local-delivery' for customAttributes_item in order.customAttributes):
        update_order_note(order_id=order.id, note='Call on arrival', append=True)
