# request: When a workflow fails send a Shopify alert and post to #ops-alerts on slack
# difficulty: medium
# features: connector
@workflow_error_occurred
def alert_slack(workflowError, shop):
    'Alert and Slack'
    with branch():
        send_error_alert()
    with branch():
        send_slack_message(channel='#ops-alerts', message='{{workflowError.workflowName}} failed: {{workflowError.errorMessage}}')
