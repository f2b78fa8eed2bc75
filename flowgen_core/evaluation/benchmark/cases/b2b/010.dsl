# request: Draft orders over $5000 should be tagged needs-approval
# difficulty: medium
# features: condition
@draft_order_created
def approval(draftOrder, shop):
    'Draft approval'
    if draftOrder.totalPriceSet.shopMoney.amount > Money('5000'):
        add_draft_order_tags(draft_order_id=draftOrder.id, tags=['needs-approval'])
