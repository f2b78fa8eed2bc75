# request: page the on-call (pagerduty service P123) if a workflow errors
# difficulty: medium
# features: connector
@workflow_error_occurred
def page(workflowError, shop):
    'Page on-call'
    create_pagerduty_incident(service_id='P123', title='Flow error in {{workflowError.workflowName}}', urgency='high')
