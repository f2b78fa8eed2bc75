# request: log workflow errors to the Google sheet 1ERR in tab Errors
# difficulty: easy
# features: connector
@workflow_error_occurred
def sheet_errors(workflowError, shop):
    'Errors sheet'
    add_sheet_row(spreadsheet_id='1ERR', sheet_name='Errors', row=['{{workflowError.occurredAt}}', '{{workflowError.workflowName}}', '{{workflowError.errorMessage}}'])
