# request: change the threshold to $300
# difficulty: easy
# features: edit condition
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
    if order.totalPriceSet.shopMoney.amount > Money('300'):
        add_order_tags(order_id=order.id, tags=['high-value'])
