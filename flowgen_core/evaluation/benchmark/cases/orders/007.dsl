# request: Tag orders shipping to Canada or the US that are over $150 with 'north-america-priority'
# difficulty: medium
# features: condition complex_condition
@order_created
def na_priority(order, shop):
    'North America priority'
    if (order.shippingAddress.countryCodeV2 == 'CA' or order.shippingAddress.countryCodeV2 == 'US') and order.totalPriceSet.shopMoney.amount > Money('150'):
        add_order_tags(order_id=order.id, tags=['north-america-priority'])
