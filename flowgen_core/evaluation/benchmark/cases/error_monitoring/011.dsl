# request: also email dev@shop.com
# difficulty: medium
# features: edit email
# existing:
@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_error_alert()
# expected:
@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_error_alert()
    send_internal_email(address='dev@shop.com', subject='Workflow error', message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
