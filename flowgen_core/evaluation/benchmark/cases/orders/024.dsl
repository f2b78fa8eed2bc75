# request: if every item in the order is from vendor 'House Brand' and the order is over $75, tag it house-only
# difficulty: hard
# features: condition complex_condition loop
@order_created
def house_only(order, shop):
    'House brand only'
    if all(lineItems_item.vendor == 'House Brand' for lineItems_item in order.lineItems) and order.totalPriceSet.shopMoney.amount > Money('75'):
        add_order_tags(order_id=order.id, tags=['house-only'])
