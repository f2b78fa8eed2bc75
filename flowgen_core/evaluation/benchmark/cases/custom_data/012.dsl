# request: also save the order name in the metafield custom.gift_order
# difficulty: medium
# features: edit
# existing:
@order_created
def gift_message(order, shop):
    'Save gift message'
    if any(customAttributes_item.key == 'gift_message' for customAttributes_item in order.customAttributes):
        add_order_tags(order_id=order.id, tags=['gift'])
# expected:
@order_created
def gift_message(order, shop):
    'Save gift message'
    if any(customAttributes_item.key == 'gift_message' for customAttributes_item in order.customAttributes):
        add_order_tags(order_id=order.id, tags=['gift'])
        update_order_metafield(order_id=order.id, metafield={'namespace': 'custom', 'key': 'gift_order', 'type': 'single_line_text_field'}, value='{{order.name}}')
