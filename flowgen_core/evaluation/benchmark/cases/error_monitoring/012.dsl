# request: replace the alert with a slack message to #errors
# difficulty: medium
# features: edit connector
# existing:
@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_error_alert()
# expected:
@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_slack_message(channel='#errors', message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
