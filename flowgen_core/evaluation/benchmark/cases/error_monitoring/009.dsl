# request: message our Discord webhook https://discord.com/api/webhooks/1 when a workflow breaks
# difficulty: medium
# features: connector
@workflow_error_occurred
def discord(workflowError, shop):
    'Discord on error'
    send_discord_message(webhook_url='https://discord.com/api/webhooks/1', content='{{workflowError.workflowName}} failed')
