# request: add a note 'Gift - no invoice in box' to orders where the customer left a gift note attribute
# difficulty: medium
# features: condition
@order_created
def gift_note(order, shop):
    'Gift orders note'
    if any(customAttributes_item.key == 'gift_note' for customAttributes_item in order.customAttributes):
        update_order_note(order_id=order.id, note='Gift - no invoice in box', append=True)
