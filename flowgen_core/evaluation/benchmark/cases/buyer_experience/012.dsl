# request: redirect to /collections/sale instead
# difficulty: medium
# features: edit
# existing:
@product_status_updated
def redirect_archived(oldStatus, product, shop):
    'Redirect archived products'
    if product.status == ProductStatus.ARCHIVED:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/all')
# expected:
@product_status_updated
def redirect_archived(oldStatus, product, shop):
    'Redirect archived products'
    if product.status == ProductStatus.ARCHIVED:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/sale')
