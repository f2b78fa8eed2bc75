# request: remind B2B customers when a payment is due
# difficulty: easy
# features:
@payment_schedule_due
def remind(paymentSchedule, order, shop):
    'Payment reminder'
    send_payment_reminder(payment_schedule_id=paymentSchedule.id)
