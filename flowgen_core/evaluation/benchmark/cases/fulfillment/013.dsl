# request: when a refund over $200 is created, email finance@shop.com and tag the order big-refund
# difficulty: hard
# features: email condition
@refund_created
def big_refund(refund, order, shop):
    'Big refund'
    if refund.totalRefundedSet.shopMoney.amount > Money('200'):
        send_internal_email(address='finance@shop.com', subject='Refund on {{order.name}}', message='{{refund.totalRefundedSet.shopMoney.amount}} refunded: {{refund.note}}')
        add_order_tags(order_id=order.id, tags=['big-refund'])
