# request: Orders from our POS with more than 10 items or over 800 bucks: tag bulk-pos
# difficulty: hard
# features: condition complex_condition
@order_created
def bulk_pos(order, shop):
    'Bulk POS orders'
    if order.sourceName == 'pos' and (order.currentSubtotalLineItemsQuantity > 10 or order.totalPriceSet.shopMoney.amount > Money('800')):
        add_order_tags(order_id=order.id, tags=['bulk-pos'])
