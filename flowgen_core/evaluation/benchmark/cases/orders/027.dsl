# request: when a draft order is created, tag it 'needs-review'
# difficulty: easy
# features:
@draft_order_created
def review_drafts(draftOrder, shop):
    'Review new drafts'
    add_draft_order_tags(draft_order_id=draftOrder.id, tags=['needs-review'])
