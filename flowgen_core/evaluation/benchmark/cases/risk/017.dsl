# request: Flag orders where the shipping country is not US, CA or GB and the order is over $250
# difficulty: hard
# features: condition complex_condition
@order_created
def intl_flag(order, shop):
    'International flag'
    if order.shippingAddress.countryCodeV2 not in ['US', 'CA', 'GB'] and order.totalPriceSet.shopMoney.amount > Money('250'):
        flag_order_for_review(order_id=order.id, reason='International high value')
