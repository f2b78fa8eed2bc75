# request: save the customer's signup source to a metafield custom.source = 'flow' when they're created
# difficulty: easy
# features:
@customer_created
def source_metafield(customer, shop):
    'Source metafield'
    update_customer_metafield(customer_id=customer.id, namespace='custom', key='source', value='flow', type='single_line_text_field')
