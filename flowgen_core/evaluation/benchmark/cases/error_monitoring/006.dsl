# request: open a Jira bug in project OPS for every workflow error
# difficulty: medium
# features: connector
@workflow_error_occurred
def jira(workflowError, shop):
    'Jira on error'
    create_jira_issue(project_key='OPS', summary='Flow error: {{workflowError.workflowName}}', description='{{workflowError.errorMessage}}', issue_type='Bug')
