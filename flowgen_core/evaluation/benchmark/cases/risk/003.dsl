# request: cancel high risk orders and send an email to risk@myshop.com so the team knows
# difficulty: medium
# features: condition email
@order_risk_analyzed
def cancel_and_tell(order, shop):
    'Cancel high-risk orders and email'
    if order.riskLevel == OrderRiskLevel.HIGH:
        cancel_order(order_id=order.id, reason='FRAUD', restock=True)
        send_internal_email(address='risk@myshop.com', subject='Cancelled {{order.name}}', message='Order {{order.name}} was high risk and has been cancelled.')
