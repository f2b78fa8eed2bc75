# request: send a welcome email from our email app (template welcome-1) and add them to the welcome list when someone signs up
# difficulty: medium
# features: email connector
@customer_created
def welcome(customer, shop):
    'Welcome email'
    add_to_email_list(email='{{customer.email}}', list_id='welcome')
    send_app_email(to='{{customer.email}}', template_id='welcome-1', variables={'first_name': '{{customer.firstName}}'})
