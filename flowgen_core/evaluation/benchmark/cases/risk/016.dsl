# request: and email risk@shop.com after cancelling
# difficulty: medium
# features: edit email
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
        cancel_order(order_id=order.id, reason='FRAUD', restock=True)
        send_internal_email(address='risk@shop.com', subject='Cancelled {{order.name}}', message='High risk order cancelled.')
