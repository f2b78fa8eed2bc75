# request: give 250 bonus points when a paid order includes a gift card
# difficulty: medium
# features: condition
@order_paid
def gift_card_points(order, shop):
    'Gift card bonus'
    if any(lineItems_item.isGiftCard == True for lineItems_item in order.lineItems):
        award_loyalty_points(customer_id=order.customer.id, points=250, reason='Gift card bonus')
