# request: when a return is requested, approve it automatically and notify the customer
# difficulty: medium
# features:
@return_requested
def approve(shop):
    'Auto approve returns'
    approve_return_request(return_id='return.id', notify_customer=True)
