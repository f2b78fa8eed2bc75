# request: When a return is requested for more than 3 items or on an order over $500, tag the order return-review instead of approving; else approve
# difficulty: hard
# features: condition complex_condition
@return_requested
def return_review(shop):
    'Return review'
    if env('return.totalQuantity') > 3 or env('return.order.totalPriceSet.shopMoney.amount') > Money('500'):
        add_order_tags(order_id='return.order.id', tags=['return-review'])
    else:
        approve_return_request(return_id='return.id')
