# request: weekly, tag every company in our system with 'active-b2b' metafield status=active
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T090000\nRRULE:FREQ=WEEKLY'])
def company_status(scheduledAt, shop):
    'Company status'
    getCompanyData = get_company_data(max_root_records=100)
    for getCompanyDataForeachitem in getCompanyData:
        update_company_metafield(company_id=getCompanyDataForeachitem.id, namespace='b2b', key='status', value='active', type='single_line_text_field')
