# request: send it to purchasing@example.com instead of the buyer
# difficulty: medium
# features: edit email
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
    if productVariant.inventoryQuantity < 10 and inventoryQuantityPrior >= 10:
        send_internal_email(address='purchasing@example.com', subject='Low stock: {{product.title}}', message='{{productVariant.sku}} is low')
