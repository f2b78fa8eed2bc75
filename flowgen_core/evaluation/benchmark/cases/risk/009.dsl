# request: For first-time customers spending over $700, flag the order as high risk and email fraud@store.io
# difficulty: hard
# features: condition complex_condition email
@order_created
def first_big_order(order, shop):
    'First big order check'
    if order.customer.numberOfOrders == 1 and order.totalPriceSet.shopMoney.amount > Money('700'):
        create_order_risk_assessment(order_id=order.id, risk_level='HIGH', message='First order over $700')
        send_internal_email(address='fraud@store.io', subject='Check {{order.name}}', message='First-time customer spent {{order.totalPriceSet.shopMoney.amount}}.')
