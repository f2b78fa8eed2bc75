# request: let purchasing@shop.co know when inventory goes under 20
# difficulty: medium
# features: condition complex_condition email
@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 20 and inventoryQuantityPrior >= 20:
        send_internal_email(address='purchasing@shop.co', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} has {{productVariant.inventoryQuantity}} left.')
