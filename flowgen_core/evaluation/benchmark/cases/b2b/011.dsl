# request: send the invoice for every new draft order
# difficulty: easy
# features:
@draft_order_created
def invoice(draftOrder, shop):
    'Send draft invoice'
    send_draft_order_invoice(draft_order_id=draftOrder.id)
