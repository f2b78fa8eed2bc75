# request: cancel orders that Shopify marks as high risk
# difficulty: easy
# features: condition
@order_risk_analyzed
def cancel_risky(order, shop):
    'Cancel high-risk orders'
    if order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id=order.id, reason='FRAUD', restock=True)
