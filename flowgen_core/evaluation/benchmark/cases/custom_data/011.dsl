# request: set a shop metafield flow.last_order to the latest order name on every order
# difficulty: easy
# features:
@order_created
def last_order(order, shop):
    'Last order metafield'
    update_shop_metafield(namespace='flow', key='last_order', value='{{order.name}}', type='single_line_text_field')
