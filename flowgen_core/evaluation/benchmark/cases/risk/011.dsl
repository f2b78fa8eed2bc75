# request: email me (alerts@shop.com) whenever a chargeback / dispute comes in
# difficulty: easy
# features: email
@dispute_created
def dispute_email(dispute, shop):
    'Dispute alert'
    send_internal_email(address='alerts@shop.com', subject='New dispute', message='Dispute {{dispute.id}} for {{dispute.amount.amount}}: {{dispute.reason}}')
