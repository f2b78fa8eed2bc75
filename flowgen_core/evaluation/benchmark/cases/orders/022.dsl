# request: also add the customer tag 'big-buyer'
# difficulty: medium
# features: edit
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
        add_customer_tags(customer_id=order.customer.id, tags=['big-buyer'])
