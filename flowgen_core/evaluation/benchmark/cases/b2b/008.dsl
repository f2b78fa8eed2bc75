# request: Create an Asana task in project 555 for the account team when a company is created
# difficulty: medium
# features: connector
@company_created
def asana(company, shop):
    'Onboarding task'
    create_asana_task(project_id='555', name='Onboard {{company.name}}', notes='New B2B company')
