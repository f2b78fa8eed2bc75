# request: If an automatic discount is created without an end date or with a usage limit over 1000, deactivate it and email me at admin@shop.com
# difficulty: hard
# features: condition complex_condition
@automatic_discount_created
def guard_discounts(discount, shop):
    'Guard automatic discounts'
    if discount.endsAt is None or discount.usageLimit > 1000:
        deactivate_discount(discount_id=discount.id)
        send_internal_email(address='admin@shop.com', subject='Discount deactivated', message='{{discount.title}} had no end date or a high usage limit.')
