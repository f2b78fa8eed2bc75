# request: when the workflow named 'ERP sync' fails, log the error message
# difficulty: medium
# features: condition
@workflow_error_occurred
def log_erp_errors(workflowError, shop):
    'Log ERP sync errors'
    if workflowError.workflowName == 'ERP sync':
        log_output(message='{{workflowError.errorMessage}}')
