# request: email ops@shop.com when the ERP webhook on paid orders returns an error status
# difficulty: medium
# features: email condition
@order_paid
def erp_check(order, shop):
    'ERP webhook check'
    sendHttpRequest = send_http_request(method='POST', url='https://erp.example.com/orders', body='{"order_id": "{{order.id}}"}', on_server_error='ignore')
    if sendHttpRequest.status >= 400:
        send_internal_email(address='ops@shop.com', subject='ERP sync failed for {{order.name}}', message='Status {{sendHttpRequest.status}}: {{sendHttpRequest.body}}')
