# request: when an order is paid, give the customer a $5 gift card for next time
# difficulty: medium
# features:
@order_paid
def gift(order, shop):
    'Thank-you gift card'
    create_gift_card(initial_value=5, customer_id=order.customer.id, note='Thank you')
