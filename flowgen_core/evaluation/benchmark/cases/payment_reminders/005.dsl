# request: if billing fails because of insufficient funds, wait 5 days and retry; any other error pause the subscription
# difficulty: hard
# features: condition wait
@billing_attempt_failed
def smart_dunning(subscriptionBillingAttempt, shop):
    'Smart dunning'
    if subscriptionBillingAttempt.errorCode == 'INSUFFICIENT_FUNDS':
        wait(wait_duration='P5D')
        retry_subscription_billing(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
    else:
        pause_subscription(subscription_contract_id=subscriptionBillingAttempt.subscriptionContract.id)
