# request: For new companies whose name contains 'Distributor', give all locations Net 60 and the distributor catalog gid://shopify/Catalog/12
# difficulty: hard
# features: loop condition
@company_created
def distributors(company, shop):
    'Distributor setup'
    if 'Distributor' in company.name:
        for locationsForeachitem in company.locations:
            update_payment_terms(company_location_id=locationsForeachitem.id, payment_terms='NET_60')
            add_catalogs_to_company_location(company_location_id=locationsForeachitem.id, catalog_ids=['gid://shopify/Catalog/12'])
