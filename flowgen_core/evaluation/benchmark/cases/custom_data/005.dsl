# request: when a product is created set its metafield specs.reviewed to false
# difficulty: easy
# features:
@product_created
def reviewed(product, shop):
    'Reviewed flag'
    update_product_metafield(product_id=product.id, namespace='specs', key='reviewed', value='false', type='boolean')
