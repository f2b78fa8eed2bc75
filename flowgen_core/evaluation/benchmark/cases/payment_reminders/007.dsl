# request: 3 days after an order is created, if it's still not paid send the invoice again
# difficulty: hard
# features: wait condition
@order_created
def invoice_followup(order, shop):
    'Invoice follow-up'
    wait(wait_duration='P3D')
    if order.fullyPaid == False:
        send_order_invoice(order_id=order.id, subject='Reminder: your order {{order.name}} is awaiting payment')
