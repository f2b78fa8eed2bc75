# request: email sales@wholesale.com whenever a new company is created with its name
# difficulty: medium
# features: email
@company_created
def notify_sales(company, shop):
    'Notify sales'
    send_internal_email(address='sales@wholesale.com', subject='New company: {{company.name}}', message='{{company.name}} ({{company.externalId}}) was created.')
