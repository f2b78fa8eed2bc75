# request: when a customer abandons checkout, tag them abandoned-cart and note the date
# difficulty: medium
# features:
@customer_abandons_checkout
def abandoned(customer, abandonment, shop):
    'Abandoned checkout'
    add_customer_tags(customer_id=customer.id, tags=['abandoned-cart'])
    update_customer_note(customer_id=customer.id, note='Abandoned checkout on {{abandonment.createdAt}}', append=True)
