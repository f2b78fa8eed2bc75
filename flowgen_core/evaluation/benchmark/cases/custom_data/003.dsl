# request: Set the PO number on new orders with an Admin API orderUpdate call
# difficulty: medium
# features:
@order_created
def po_api(order, shop):
    'PO via Admin API'
    sendAdminApiRequest = send_admin_api_request(api_call='{"name": "orderUpdate", "blob": "{\\"input\\": {\\"id\\": \\"{{order.id}}\\", \\"poNumber\\": \\"PO-{{order.name}}\\"}}"}')
