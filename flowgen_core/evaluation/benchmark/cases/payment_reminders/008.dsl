# request: when a subscription billing is challenged (3DS) email the customer service team at cs@subs.com
# difficulty: medium
# features: email
@billing_attempt_challenged
def challenged(subscriptionBillingAttempt, shop):
    'Challenged billing'
    send_internal_email(address='cs@subs.com', subject='Billing needs authentication', message='Contract {{subscriptionBillingAttempt.subscriptionContract.id}} needs 3DS.')
