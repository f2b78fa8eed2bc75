# request: If an order's billing and shipping countries differ, add a medium risk assessment saying so
# difficulty: medium
# features: condition
@order_created
def country_mismatch(order, shop):
    'Country mismatch risk'
    if order.billingAddress.countryCodeV2 != order.shippingAddress.countryCodeV2:
        create_order_risk_assessment(order_id=order.id, risk_level='MEDIUM', message='Billing and shipping countries differ', source='Flow')
