# request: If an order has a discount code, add the tag 'discounted', otherwise tag it 'full-price'
# difficulty: medium
# features: condition
@order_created
def discount_tagging(order, shop):
    'Discount tagging'
    if not is_empty(order.discountCodes):
        add_order_tags(order_id=order.id, tags=['discounted'])
    else:
        add_order_tags(order_id=order.id, tags=['full-price'])
