# request: when a company location is created, set its payment terms to net 30
# difficulty: medium
# features:
@company_location_created
def location_terms(companyLocation, shop):
    'Net 30 for new locations'
    update_payment_terms(company_location_id=companyLocation.id, payment_terms='NET_30')
