# request: When a customer orders again, remove the lapsed tag if they have it
# difficulty: medium
# features: condition
@order_created
def unlapse(order, shop):
    'Remove lapsed tag'
    if 'lapsed' in order.customer.tags:
        remove_customer_tags(customer_id=order.customer.id, tags=['lapsed'])
