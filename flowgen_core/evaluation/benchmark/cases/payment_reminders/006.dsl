# request: Send an invoice for orders that are still pending payment
# difficulty: medium
# features: condition
@order_created
def pending_invoice(order, shop):
    'Invoice pending orders'
    if order.displayFinancialStatus == OrderDisplayFinancialStatus.PENDING:
        send_order_invoice(order_id=order.id)
