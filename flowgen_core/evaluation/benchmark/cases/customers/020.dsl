# request: tag customers 'segment-member' when they join a segment
# difficulty: easy
# features:
@customer_joined_segment
def segment_tag(customer, segment, shop):
    'Segment member tag'
    add_customer_tags(customer_id=customer.id, tags=['segment-member'])
