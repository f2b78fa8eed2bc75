# request: change it to net 45
# difficulty: medium
# features: edit loop
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
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_45')
