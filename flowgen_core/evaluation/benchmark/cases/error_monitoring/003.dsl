# request: email dev@shop.com with the error whenever a Flow workflow fails
# difficulty: easy
# features: email
@workflow_error_occurred
def email_dev(workflowError, shop):
    'Email errors'
    send_internal_email(address='dev@shop.com', subject='Workflow failed: {{workflowError.workflowName}}', message='{{workflowError.errorMessage}}\n{{workflowError.workflowRunUrl}}')
