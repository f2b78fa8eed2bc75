# request: Hold fulfillment on medium or high risk orders so we can review before shipping
# difficulty: medium
# features: condition loop complex_condition
@order_risk_analyzed
def hold_risky(order, shop):
    'Hold risky orders'
    if order.riskLevel == OrderRiskLevel.MEDIUM or order.riskLevel == OrderRiskLevel.HIGH:
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='HIGH_RISK_OF_FRAUD', reason_notes='Review before shipping')
