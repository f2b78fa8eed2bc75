# request: alert me when any workflow errors
# difficulty: easy
# features:
@workflow_error_occurred
def alert(workflowError, shop):
    'Alert on errors'
    send_error_alert()
