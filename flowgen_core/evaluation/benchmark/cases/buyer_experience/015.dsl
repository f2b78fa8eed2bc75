# request: automatically complete draft orders as soon as they are created, leaving payment pending
# difficulty: medium
# features:
@draft_order_created
def complete_drafts(draftOrder, shop):
    'Complete drafts'
    complete_draft_order(draft_order_id=draftOrder.id, payment_pending=True)
