# request: also email me at owner@shop.com when this happens
# difficulty: medium
# features: edit email
# existing:
@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id=order.id, tags=['high-value'])
# expected:
@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id=order.id, tags=['high-value'])
        send_internal_email(address='owner@shop.com', subject='High-value order {{order.name}}', message='{{order.name}}: {{order.totalPriceSet.shopMoney.amount}}')
