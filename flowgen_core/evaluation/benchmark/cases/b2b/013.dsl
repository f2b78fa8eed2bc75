# request: after setting the terms, email ar@company.com that the company was set up
# difficulty: hard
# features: edit loop email
# existing:
@company_created
def net30(company, shop):
    'Net 30'
    for locationsForeachitem in company.locations:
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_30')
# expected:
@company_created
def net30(company, shop):
    'Net 30'
    for locationsForeachitem in company.locations:
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_30')
    send_internal_email(address='ar@company.com', subject='{{company.name}} set up', message='Net 30 terms applied to all locations.')
