# request: wait an hour after a high-risk order comes in, then email risk@shop.com if it still isn't cancelled
# difficulty: medium
# features: email wait
@order_risk_analyzed
def risk_followup(order, shop):
    'Risk follow-up'
    if order.riskLevel == OrderRiskLevel.HIGH:
        wait(wait_duration='PT1H')
        if order.cancelledAt is None:
            send_internal_email(address='risk@shop.com', subject='Still open: {{order.name}}', message='High risk order {{order.name}} is still open.')
