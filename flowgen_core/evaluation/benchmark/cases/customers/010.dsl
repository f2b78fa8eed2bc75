# request: When a customer joins a segment, add them to the klaviyo style email list 'segment-sync'
# difficulty: medium
# features: connector
@customer_joined_segment
def segment_list(customer, segment, shop):
    'Segment to list'
    add_to_email_list(email='{{customer.email}}', list_id='segment-sync')
