# request: email marketing@shop.com when a new discount code is created
# difficulty: easy
# features: email
@discount_code_created
def new_code(discount, shop):
    'New discount code'
    send_internal_email(address='marketing@shop.com', subject='New code {{discount.code}}', message='{{discount.title}} starts {{discount.startsAt}}')
