# request: When points change, if they went negative or the balance is under 0, email loyalty@shop.com
# difficulty: hard
# features: condition complex_condition
@loyalty_points_changed
def negative(customer, pointsChange, pointsBalance, shop):
    'Negative balance'
    if pointsChange < 0 and pointsBalance < 0:
        send_internal_email(address='loyalty@shop.com', subject='Negative balance', message='{{customer.email}} has {{pointsBalance}} points')
