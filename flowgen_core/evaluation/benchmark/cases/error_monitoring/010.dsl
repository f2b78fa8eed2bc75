# request: Only alert on workflow errors that mention 'timeout' or 'rate limit' in the message, via a Shopify alert
# difficulty: hard
# features: condition complex_condition
@workflow_error_occurred
def filtered(workflowError, shop):
    'Filtered alerts'
    if 'timeout' in workflowError.errorMessage or 'rate limit' in workflowError.errorMessage:
        send_error_alert(message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
