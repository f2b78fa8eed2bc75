# request: do the same for products set back to draft
# difficulty: hard
# features: edit condition complex_condition
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
    if product.status == ProductStatus.ARCHIVED or product.status == ProductStatus.DRAFT:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/all')
