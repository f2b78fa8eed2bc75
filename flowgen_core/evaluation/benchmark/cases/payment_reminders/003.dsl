# request: payment due on a B2B order: send the reminder and tag the order payment-due
# difficulty: medium
# features: email
@payment_schedule_due
def remind_and_tag(paymentSchedule, order, shop):
    'Remind and tag'
    send_payment_reminder(payment_schedule_id=paymentSchedule.id)
    add_order_tags(order_id=order.id, tags=['payment-due'])
