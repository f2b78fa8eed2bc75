# request: When something is back in stock remove the sold-out tag and publish it again
# difficulty: medium
# features:
@product_variant_back_in_stock
def restocked(product, productVariant, shop):
    'Back in stock'
    remove_product_tags(product_id=product.id, tags=['sold-out'])
    publish_product(product_id=product.id)
