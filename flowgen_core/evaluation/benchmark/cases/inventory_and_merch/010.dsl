# request: when a product is created check every variant and email catalog@shop.com if any price is under $1
# difficulty: medium
# features: loop condition email
@product_created
def price_check(product, shop):
    'Price check'
    for variantsForeachitem in product.variants:
        if variantsForeachitem.price < Money('1'):
            send_internal_email(address='catalog@shop.com', subject='Suspicious price', message='{{variantsForeachitem.sku}} costs {{variantsForeachitem.price}}')
