# request: new company locations get the wholesale catalog gid://shopify/Catalog/9
# difficulty: easy
# features:
@company_location_created
def catalog(companyLocation, shop):
    'Wholesale catalog'
    add_catalogs_to_company_location(company_location_id=companyLocation.id, catalog_ids=['gid://shopify/Catalog/9'])
