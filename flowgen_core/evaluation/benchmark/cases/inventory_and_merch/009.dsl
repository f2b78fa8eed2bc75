# request: If a new product is from vendor Nike, tag it brand-nike
# difficulty: medium
# features: condition
@product_created
def nike(product, shop):
    'Tag Nike'
    if product.vendor == 'Nike':
        add_product_tags(product_id=product.id, tags=['brand-nike'])
