# request: and email billing@shop.com before waiting
# difficulty: hard
# features: edit wait email
# existing:
@billing_attempt_failed
def retry(subscriptionBillingAttempt, shop):
    'Retry billing'
    wait(wait_duration='P1D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
# expected:
@billing_attempt_failed
def retry(subscriptionBillingAttempt, shop):
    'Retry billing'
    send_internal_email(address='billing@shop.com', subject='Billing failed', message='{{subscriptionBillingAttempt.errorMessage}}')
    wait(wait_duration='P1D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
