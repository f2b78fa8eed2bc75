# request: email marketing@shop.com each time too
# difficulty: medium
# features: edit email
# existing:
@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes:
        add_order_tags(order_id=order.id, tags=['summer-sale'])
# expected:
@order_created
def summer(order, shop):
    'Summer sale tag'
    if 'SUMMER20' in order.discountCodes:
        add_order_tags(order_id=order.id, tags=['summer-sale'])
        send_internal_email(address='marketing@shop.com', subject='SUMMER20 used', message='{{order.name}} used SUMMER20')
