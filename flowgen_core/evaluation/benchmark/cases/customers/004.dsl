# request: tag customers from Germany with 'de' when they sign up
# difficulty: medium
# features: condition
@customer_created
def tag_de(customer, shop):
    'Tag German customers'
    if customer.defaultAddress.countryCodeV2 == 'DE':
        add_customer_tags(customer_id=customer.id, tags=['de'])
