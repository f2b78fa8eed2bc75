# request: When a customer is deleted email privacy@company.com with their id for our GDPR log
# difficulty: hard
# features: condition email
@customer_deleted
def gdpr_log(customerId, shop):
    'GDPR log'
    send_internal_email(address='privacy@company.com', subject='Customer deleted', message='Customer {{customerId}} was deleted.')
