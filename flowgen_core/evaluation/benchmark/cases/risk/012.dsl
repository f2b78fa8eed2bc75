# request: cancel orders where the email ends with @tempmail.com or the risk is high, and don't restock
# difficulty: hard
# features: condition complex_condition
@order_risk_analyzed
def tempmail(order, shop):
    'Cancel disposable email orders'
    if order.email.endswith('@tempmail.com') or order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id=order.id, reason='FRAUD', restock=False)
