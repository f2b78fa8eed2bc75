# request: when an order has a delivery_date attribute, store it in the order metafield delivery.date
# difficulty: medium
# features: condition
@order_created
def delivery(order, shop):
    'Delivery date'
    if any(customAttributes_item.key == 'delivery_date' for customAttributes_item in order.customAttributes):
        update_order_metafield(order_id=order.id, metafield={'namespace': 'delivery', 'key': 'date', 'type': 'date'}, value="{% for a in order.customAttributes %}{% if a.key == 'delivery_date' %}{{ a.value }}{% endif %}{% endfor %}")
