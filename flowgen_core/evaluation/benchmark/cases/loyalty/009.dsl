# request: give 200 bonus points when someone creates an account
# difficulty: easy
# features: connector
@customer_created
def signup_points(customer, shop):
    'Signup points'
    award_loyalty_points(customer_id=customer.id, points=200, reason='Signup bonus')
