# request: tag orders 'review' if the total is between $300 and $600 and the customer has fewer than 3 orders
# difficulty: hard
# features: condition complex_condition
@order_created
def mid_review(order, shop):
    'Mid-value review'
    if order.totalPriceSet.shopMoney.amount >= Money('300') and order.totalPriceSet.shopMoney.amount <= Money('600') and order.customer.numberOfOrders < 3:
        add_order_tags(order_id=order.id, tags=['review'])
