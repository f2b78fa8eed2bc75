# request: save the gift message cart attribute into the order metafield custom.gift_message
# difficulty: medium
# features: condition
@order_created
def gift_message(order, shop):
    'Save gift message'
    if any(customAttributes_item.key == 'gift_message' for customAttributes_item in order.customAttributes):
        update_order_metafield(order_id=order.id, metafield={'namespace': 'custom', 'key': 'gift_message', 'type': 'multi_line_text_field'}, value="{% for a in order.customAttributes %}{% if a.key == 'gift_message' %}{{ a.value }}{% endif %}{% endfor %}")
