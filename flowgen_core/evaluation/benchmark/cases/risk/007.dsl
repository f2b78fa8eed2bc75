# request: If an order is high risk AND the billing country isn't the shipping country, cancel it. otherwise if it's just high risk tag it review
# difficulty: hard
# features: condition complex_condition
@order_risk_analyzed
def mismatch_risk(order, shop):
    'Risk with country mismatch'
    if order.riskLevel == OrderRiskLevel.HIGH and order.billingAddress.countryCodeV2 != order.shippingAddress.countryCodeV2:
        cancel_order(order_id=order.id, reason='FRAUD', restock=True)
    elif order.riskLevel == OrderRiskLevel.HIGH:
        add_order_tags(order_id=order.id, tags=['review'])
