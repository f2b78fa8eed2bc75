# request: make the limit 25 instead of 10
# difficulty: hard
# features: edit condition complex_condition
# existing:
@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 10 and inventoryQuantityPrior >= 10:
        send_internal_email(address='buyer@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} is low')
# expected:
@inventory_quantity_changed
def low_stock(product, productVariant, inventoryQuantityPrior, shop):
    'Low stock alert'
    if productVariant.inventoryQuantity < 25 and inventoryQuantityPrior >= 25:
        send_internal_email(address='buyer@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} is low')
