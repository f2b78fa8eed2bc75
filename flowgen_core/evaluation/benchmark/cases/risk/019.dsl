# request: capture payment automatically unless the order is high risk or over $2000
# difficulty: hard
# features: condition complex_condition
@order_created
def capture_safe(order, shop):
    'Capture safe orders'
    if order.riskLevel != OrderRiskLevel.HIGH and order.totalPriceSet.shopMoney.amount <= Money('2000'):
        capture_payment(order_id=order.id)
