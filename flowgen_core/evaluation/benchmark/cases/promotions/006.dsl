# request: 30 days after a first order, if they haven't ordered again send them the winback email (activity id gid://shopify/MarketingActivity/7)
# difficulty: medium
# features: wait condition
@order_paid
def winback(order, shop):
    'Winback'
    if order.customer.numberOfOrders == 1:
        wait(wait_duration='P30D')
        if order.customer.numberOfOrders == 1:
            send_marketing_email(customer_id=order.customer.id, marketing_activity_id='gid://shopify/MarketingActivity/7')
