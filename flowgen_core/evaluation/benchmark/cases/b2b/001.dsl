# request: give new companies Net 30 payment terms on all their locations
# difficulty: medium
# features: loop
@company_created
def net30(company, shop):
    'Net 30'
    for locationsForeachitem in company.locations:
        update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_30')
