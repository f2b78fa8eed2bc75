# request: Add big spenders (orders over 300) to the Meta custom audience 12345
# difficulty: medium
# features: condition connector
@order_paid
def audience(order, shop):
    'Big spender audience'
    if order.totalPriceSet.shopMoney.amount > Money('300'):
        add_to_ad_audience(audience_id='12345', email='{{order.email}}')
