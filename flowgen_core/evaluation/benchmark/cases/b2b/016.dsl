# request: send the B2B access email to every new company contact
# difficulty: easy
# features:
@company_contact_created
def contact_access(companyContact, shop):
    'Send B2B access'
    send_b2b_access_email(company_contact_id=companyContact.id)
