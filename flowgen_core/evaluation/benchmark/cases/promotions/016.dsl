# request: Email marketing@shop.com every time a discount code is created
# difficulty: medium
# features: email
@discount_code_created
def new_code(discount, shop):
    'New discount code'
    send_internal_email(address='marketing@shop.com', subject='New discount code', message='{{discount.title}} was created.')
