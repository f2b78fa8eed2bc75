# request: tag customers 'promo-hunter' when an order uses a discount code and the discount is more than 30 dollars
# difficulty: hard
# features: condition complex_condition
@order_created
def promo_hunter(order, shop):
    'Promo hunters'
    if not is_empty(order.discountCodes) and order.totalDiscountsSet.shopMoney.amount > Money('30'):
        add_customer_tags(customer_id=order.customer.id, tags=['promo-hunter'])
