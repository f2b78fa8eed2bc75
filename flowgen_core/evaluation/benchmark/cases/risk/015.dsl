# request: include medium risk too
# difficulty: hard
# features: edit condition complex_condition
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
    if order.riskLevel == OrderRiskLevel.HIGH or order.riskLevel == OrderRiskLevel.MEDIUM:
        cancel_order(order_id=order.id, reason='FRAUD', restock=True)
