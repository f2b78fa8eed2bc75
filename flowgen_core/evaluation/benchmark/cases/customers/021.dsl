# request: when a customer's payment method is revoked, add a note to the customer saying their card was removed
# difficulty: medium
# features:
@customer_payment_method_revoked
def card_removed(customerPaymentMethod, customer, shop):
    'Card removed note'
    update_customer_note(customer_id=customer.id, note='Payment method revoked', append=True)
