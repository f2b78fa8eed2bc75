# request: retry failed subscription payments after 1 day
# difficulty: medium
# features: wait
@billing_attempt_failed
def retry(subscriptionBillingAttempt, shop):
    'Retry billing'
    wait(wait_duration='P1D')
    retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
