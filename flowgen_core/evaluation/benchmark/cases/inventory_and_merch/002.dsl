# request: low stock alert please! under 5 units email stock@mystore.com, only once when it crosses
# difficulty: medium
# features: condition complex_condition email
@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 5 and inventoryQuantityPrior >= 5:
        send_internal_email(address='stock@mystore.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} has {{productVariant.inventoryQuantity}} left.')
