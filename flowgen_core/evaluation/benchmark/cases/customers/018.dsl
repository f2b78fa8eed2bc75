# request: when customer tags are added, if they include wholesale but not approved, add a note 'Pending approval'
# difficulty: hard
# features: condition complex_condition
@customer_tags_added
def pending(tags, customer, shop):
    'Pending approval'
    if 'wholesale' in tags and 'approved' not in customer.tags:
        update_customer_note(customer_id=customer.id, note='Pending approval', append=True)
