# request: Send buyer@example.com an alert when a variant drops below 10 in stock
# difficulty: medium
# features: condition complex_condition email
@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 10 and inventoryQuantityPrior >= 10:
        send_internal_email(address='buyer@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} has {{productVariant.inventoryQuantity}} left.')
