# request: If fraud analysis says an order is HIGH risk, just cancel it and restock the items
# difficulty: easy
# features: condition
@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id=order.id, reason='FRAUD', restock=True)
