# request: copy the customer's note into a customer metafield crm.notes whenever their tags change
# difficulty: medium
# features:
@customer_tags_added
def notes(tags, customer, shop):
    'Notes to metafield'
    update_customer_metafield(customer_id=customer.id, namespace='crm', key='notes', value='{{customer.note}}', type='multi_line_text_field')
