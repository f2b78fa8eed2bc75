# request: when a customer's VIP tier changes email vip@shop.com with the new tier
# difficulty: medium
# features: email
@loyalty_tier_changed
def tier_email(customer, tierName, shop):
    'Tier change email'
    send_internal_email(address='vip@shop.com', subject='Tier change', message='{{customer.displayName}} is now {{tierName}}')
