# request: wait 3 days instead
# difficulty: medium
# features: edit wait
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
    wait(wait_duration='P3D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
