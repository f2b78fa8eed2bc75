# request: Hold international orders over $400 for manual customs check
# difficulty: hard
# features: condition complex_condition loop
@order_created
def customs(order, shop):
    'Customs hold'
    if order.shippingAddress.countryCodeV2 != 'US' and order.totalPriceSet.shopMoney.amount > Money('400'):
        for fulfillmentOrdersForeachitem in order.fulfillmentOrders:
            hold_fulfillment_order(fulfillment_order_id=fulfillmentOrdersForeachitem.id, reason='OTHER', reason_notes='Customs check')
