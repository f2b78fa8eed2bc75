# request: only do it for orders shipping to the US
# difficulty: hard
# features: edit condition complex_condition
# existing:
@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500'):
        add_order_tags(order_id=order.id, tags=['high-value'])
# expected:
@order_created
def tag_big(order, shop):
    'Tag big orders'
    if order.totalPriceSet.shopMoney.amount > Money('500') and order.shippingAddress.countryCodeV2 == 'US':
        add_order_tags(order_id=order.id, tags=['high-value'])
