# request: When an order is paid, post it to our ERP: POST to https://erp.example.com/orders with the order id
# difficulty: medium
# features: connector
@order_paid
def erp_webhook(order, shop):
    'Send paid orders to ERP'
    sendHttpRequest = send_http_request(method='POST', url='https://erp.example.com/orders', headers={'Content-Type': 'application/json'}, body='{"order_id": "{{order.id}}"}')
