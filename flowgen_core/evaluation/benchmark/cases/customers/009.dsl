# request: Customers who have spent over $1000 across 5+ orders should be tagged vip, and if they also are subscribed to marketing tag them vip-newsletter too
# difficulty: hard
# features: condition complex_condition
@order_paid
def vip_levels(order, shop):
    'VIP levels'
    if order.customer.amountSpent.amount > Money('1000') and order.customer.numberOfOrders >= 5:
        add_customer_tags(customer_id=order.customer.id, tags=['vip'])
        if order.customer.emailMarketingConsent.marketingState == CustomerEmailMarketingState.SUBSCRIBED:
            add_customer_tags(customer_id=order.customer.id, tags=['vip-newsletter'])
