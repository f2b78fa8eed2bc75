# request: mark POS orders as paid when they come in with a pending payment
# difficulty: medium
# features: condition
@order_created
def pos_mark_paid(order, shop):
    'Mark POS orders paid'
    if order.sourceName == 'pos' and order.displayFinancialStatus == OrderDisplayFinancialStatus.PENDING:
        mark_order_as_paid(order_id=order.id)
