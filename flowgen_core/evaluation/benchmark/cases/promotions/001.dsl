# request: send a marketing email to first time buyers after they pay (activity gid://shopify/MarketingActivity/42)
# difficulty: medium
# features: condition email
@order_paid
def first_timer(order, shop):
    'Thank first-time customers'
    if order.customer.numberOfOrders == 1:
        send_marketing_email(customer_id=order.customer.id, marketing_activity_id='gid://shopify/MarketingActivity/42')
