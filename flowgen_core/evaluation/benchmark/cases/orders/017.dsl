# request: If an order ships to Alaska or Hawaii and weighs over 5000 grams, email shipping@shop.com to get a freight quote
# difficulty: hard
# features: email condition complex_condition
@order_created
def freight(order, shop):
    'Freight quote'
    if order.shippingAddress.provinceCode in ['AK', 'HI'] and order.totalWeight > 5000:
        send_internal_email(address='shipping@shop.com', subject='Freight quote for {{order.name}}', message='{{order.totalWeight}}g to {{order.shippingAddress.provinceCode}}')
