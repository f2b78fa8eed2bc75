# request: issue $10 store credit to customers when their order is paid and they're tagged vip
# difficulty: medium
# features: connector
@order_paid
def vip_credit(order, shop):
    'VIP store credit'
    if 'vip' in order.customer.tags:
        issue_store_credit(customer_id=order.customer.id, amount=10)
