# request: Whenever someone subscribes to email marketing give them the newsletter tag
# difficulty: easy
# features:
@customer_subscribed_to_email_marketing
def newsletter(customer, shop):
    'Newsletter tag'
    add_customer_tags(customer_id=customer.id, tags=['newsletter'])
