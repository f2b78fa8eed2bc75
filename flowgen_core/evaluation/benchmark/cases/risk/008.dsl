# request: Post high-risk orders into #fraud on Slack with the order name
# difficulty: medium
# features: condition connector
@order_risk_analyzed
def slack_fraud(order, shop):
    'Slack high risk'
    if order.riskLevel == OrderRiskLevel.HIGH:
        send_slack_message(channel='#fraud', message='High risk order {{order.name}}')
