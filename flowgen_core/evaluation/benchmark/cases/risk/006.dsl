# request: tag orders with medium risk as 'check-me'
# difficulty: easy
# features: condition
@order_risk_analyzed
def tag_medium(order, shop):
    'Tag medium risk'
    if order.riskLevel == OrderRiskLevel.MEDIUM:
        add_order_tags(order_id=order.id, tags=['check-me'])
