# request: when stock changes, if quantity hits zero and it was above zero before, set the product to draft, unless it's tagged preorder
# difficulty: hard
# features: condition complex_condition
@inventory_quantity_changed
def draft_on_zero(product, productVariant, inventoryQuantityPrior, shop):
    'Draft when out'
    if productVariant.inventoryQuantity <= 0 and inventoryQuantityPrior > 0 and 'preorder' not in product.tags:
        update_product_status(product_id=product.id, status='DRAFT')
