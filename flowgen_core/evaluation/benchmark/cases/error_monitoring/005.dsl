# request: if the failing workflow's name starts with 'Payments', page pagerduty service PAY1; otherwise just slack #flow-errors
# difficulty: hard
# features: condition
@workflow_error_occurred
def route_errors(workflowError, shop):
    'Route errors'
    if workflowError.workflowName.startswith('Payments'):
        create_pagerduty_incident(service_id='PAY1', title='{{workflowError.workflowName}} failed', urgency='high')
    else:
        send_slack_message(channel='#flow-errors', message='{{workflowError.workflowName}}: {{workflowError.errorMessage}}')
