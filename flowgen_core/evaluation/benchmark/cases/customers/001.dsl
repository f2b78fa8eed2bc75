# request: tag every new customer as 'new'
# difficulty: easy
# features:
@customer_created
def tag_new(customer, shop):
    'Tag new customers'
    add_customer_tags(customer_id=customer.id, tags=['new'])
