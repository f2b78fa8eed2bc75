# request: one day after an abandoned checkout, add the customer to the email list cart-recovery
# difficulty: medium
# features: wait connector
@customer_abandons_checkout
def recovery(customer, abandonment, shop):
    'Cart recovery'
    wait(wait_duration='P1D')
    add_customer_tags(customer_id=customer.id, tags=['cart-recovery'])
