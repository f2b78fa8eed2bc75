# request: resend the invoice with a reminder message when a payment is due
# difficulty: medium
# features: email
@payment_schedule_due
def due_invoice(paymentSchedule, order, shop):
    'Invoice on due date'
    send_order_invoice(order_id=order.id, custom_message='Your payment is due today.')
