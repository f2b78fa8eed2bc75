# request: post every workflow error to #flow-errors on Slack
# difficulty: medium
# features: connector
@workflow_error_occurred
def errors_slack(workflowError, shop):
    'Errors to Slack'
    send_slack_message(channel='#flow-errors', message='{{workflowError.workflowName}} failed: {{workflowError.errorMessage}}')
