# request: a week after a payment is due, if the order still isn't fully paid email ar@shop.com
# difficulty: hard
# features: wait condition email
@payment_schedule_due
def overdue(paymentSchedule, order, shop):
    'Overdue follow-up'
    wait(wait_duration='P7D')
    if order.fullyPaid == False:
        send_internal_email(address='ar@shop.com', subject='Overdue: {{order.name}}', message='{{paymentSchedule.amount.amount}} was due {{paymentSchedule.dueAt}}')
