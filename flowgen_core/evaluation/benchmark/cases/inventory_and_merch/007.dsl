# request: hide a product only when its total inventory is 0 after a variant sells out
# difficulty: medium
# features: condition
@product_variant_out_of_stock
def hide_when_all_gone(product, productVariant, shop):
    'Hide when all gone'
    if product.totalInventory <= 0:
        hide_product(product_id=product.id)
