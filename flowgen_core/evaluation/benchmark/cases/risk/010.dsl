# request: When a dispute is opened, tag the order as chargeback
# difficulty: medium
# features: condition
@dispute_created
def chargeback_tag(dispute, shop):
    'Tag disputed orders'
    add_order_tags(order_id=dispute.order.id, tags=['chargeback'])
