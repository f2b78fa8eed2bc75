# request: capture payment automatically unless the order is risky; risky ones get tagged manual-review
# difficulty: medium
# features: condition
@order_risk_analyzed
def capture_unless_risky(order, shop):
    'Capture unless risky'
    if order.riskLevel == OrderRiskLevel.LOW:
        capture_payment(order_id=order.id)
    else:
        add_order_tags(order_id=order.id, tags=['manual-review'])
