# request: when a subscription billing succeeds after a failure, remove the dunning tag from the order
# difficulty: medium
# features: condition
@billing_attempt_succeeded
def clear_dunning(subscriptionBillingAttempt, shop):
    'Clear dunning'
    if 'dunning' in subscriptionBillingAttempt.order.tags:
        remove_order_tags(order_id=subscriptionBillingAttempt.order.id, tags=['dunning'])
