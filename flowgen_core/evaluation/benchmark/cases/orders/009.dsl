# request: when an order contains any item from the vendor Acme, tag the order acme
# difficulty: medium
# features: loop condition
@order_created
def acme_orders(order, shop):
    'Tag Acme orders'
    if any(lineItems_item.vendor == 'Acme' for lineItems_item in order.lineItems):
        add_order_tags(order_id=order.id, tags=['acme'])
