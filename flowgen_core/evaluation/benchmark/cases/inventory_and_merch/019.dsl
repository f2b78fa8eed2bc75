# request: tag new products 'needs-images' if the description is empty or the product type is missing
# difficulty: hard
# features: condition complex_condition
@product_created
def needs_images(product, shop):
    'Needs content'
    if is_empty(product.descriptionHtml) or is_empty(product.productType):
        add_product_tags(product_id=product.id, tags=['needs-images'])
