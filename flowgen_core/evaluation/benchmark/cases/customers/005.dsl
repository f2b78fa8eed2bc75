# request: add new customers to our hubspot
# difficulty: easy
# features: connector
@customer_created
def hubspot(customer, shop):
    'Sync to HubSpot'
    upsert_crm_contact(email='{{customer.email}}', first_name='{{customer.firstName}}', last_name='{{customer.lastName}}')
