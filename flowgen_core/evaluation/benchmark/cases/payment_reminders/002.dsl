# request: when a subscription billing attempt fails, wait 3 days and retry it, and email billing@shop.com right away
# difficulty: hard
# features: wait
@billing_attempt_failed
def dunning(subscriptionBillingAttempt, shop):
    'Dunning'
    with branch():
        wait(wait_duration='P3D')
        retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
    with branch():
        send_internal_email(address='billing@shop.com', subject='Billing failed', message='{{subscriptionBillingAttempt.errorMessage}}')
