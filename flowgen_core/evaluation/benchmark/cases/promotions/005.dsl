# request: give every new customer a unique 10% welcome code
# difficulty: medium
# features:
@customer_created
def welcome_code(customer, shop):
    'Welcome code'
    create_discount_code(code='WELCOME-{{customer.id}}', value_type='PERCENTAGE', value=10, customer_id=customer.id, usage_limit=1)
