# request: every morning tag draft orders older than a week with follow-up
# difficulty: hard
# features: get_data loop schedule
@scheduled_time(recurrence=['DTSTART;TZID=UTC:20260105T070000\nRRULE:FREQ=DAILY'])
def stale_drafts(scheduledAt, shop):
    'Stale drafts'
    getDraftOrderData = get_draft_order_data(query="status:open created_at:<'-7d'", max_root_records=100)
    for getDraftOrderDataForeachitem in getDraftOrderData:
        add_draft_order_tags(draft_order_id=getDraftOrderDataForeachitem.id, tags=['follow-up'])
