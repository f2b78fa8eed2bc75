# request: store the company's external id in a company metafield erp.id when created
# difficulty: medium
# features:
@company_created
def erp_id(company, shop):
    'ERP id metafield'
    update_company_metafield(company_id=company.id, namespace='erp', key='id', value='{{company.externalId}}', type='single_line_text_field')
