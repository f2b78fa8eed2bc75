# request: if a customer is tagged wholesale when tags are added, send them the account invite
# difficulty: medium
# features: condition
@customer_tags_added
def wholesale_invite(tags, customer, shop):
    'Wholesale invite'
    if 'wholesale' in tags:
        send_account_invite(customer_id=customer.id)
