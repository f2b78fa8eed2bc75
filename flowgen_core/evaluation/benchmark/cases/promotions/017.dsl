# request: when an automatic discount is created with 'TEST' in the title, deactivate it
# difficulty: medium
# features: condition
@automatic_discount_created
def no_test_discounts(discount, shop):
    'Deactivate test discounts'
    if 'TEST' in discount.title:
        deactivate_discount(discount_id=discount.id)
