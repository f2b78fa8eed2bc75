# request: put the order's PO number into a metafield purchasing.po when created, using the order name
# difficulty: easy
# features:
@order_created
def po(order, shop):
    'PO metafield'
    update_order_metafield(order_id=order.id, metafield={'namespace': 'purchasing', 'key': 'po', 'type': 'single_line_text_field'}, value='PO-{{order.name}}')
