# request: tag orders over $500 and email me at owner@shop.com
# difficulty: easy
# features: email
@order_created
def tag_and_email(order, shop):
    'Tag big orders and email me'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id=order.id, tags=['high-value'])
        send_internal_email(address='owner@shop.com', subject='High-value order {{order.name}}', message='Order {{order.name}} came in at {{order.totalPriceSet.shopMoney.amount}}.')
