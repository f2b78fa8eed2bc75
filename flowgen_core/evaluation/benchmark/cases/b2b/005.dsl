# request: if the company contact is the main contact, send them the B2B access email; otherwise do nothing
# difficulty: medium
# features: condition
@company_contact_created
def main_contact(companyContact, shop):
    'Main contact access'
    if companyContact.isMainContact == True:
        send_b2b_access_email(company_contact_id=companyContact.id)
