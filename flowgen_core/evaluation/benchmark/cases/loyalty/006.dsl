# request: If a customer's points balance goes over 5000, tag them gold
# difficulty: medium
# features: condition
@loyalty_points_changed
def gold(customer, pointsChange, pointsBalance, shop):
    'Gold tier tag'
    if pointsBalance > 5000:
        add_customer_tags(customer_id=customer.id, tags=['gold'])
