# request: don't cancel them, just tag them fraud-review instead
# difficulty: medium
# features: edit
# existing:
@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id=order.id, reason='FRAUD', restock=True)
# expected:
@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH:
        add_order_tags(order_id=order.id, tags=['fraud-review'])
