# request: if a customer's email ends with .edu tag them student
# difficulty: medium
# features: condition
@customer_created
def students(customer, shop):
    'Tag students'
    if customer.email.endswith('.edu'):
        add_customer_tags(customer_id=customer.id, tags=['student'])
