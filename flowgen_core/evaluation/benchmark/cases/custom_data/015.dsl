# request: store the product's vendor in the product metafield custom.brand when a product is created
# difficulty: medium
# features:
@product_created
def brand_metafield(product, shop):
    'Brand metafield'
    update_product_metafield(product_id=product.id, namespace='custom', key='brand', value='{{product.vendor}}', type='single_line_text_field')
