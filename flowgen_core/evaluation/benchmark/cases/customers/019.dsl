# request: 2 days after a customer signs up, if they still have 0 orders add the tag nudge
# difficulty: hard
# features: wait condition
@customer_created
def nudge(customer, shop):
    'Nudge new customers'
    wait(wait_duration='P2D')
    if customer.numberOfOrders == 0:
        add_customer_tags(customer_id=customer.id, tags=['nudge'])
