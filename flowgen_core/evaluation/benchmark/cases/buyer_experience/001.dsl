# request: When we archive a product redirect its page to /collections/all
# difficulty: medium
# features: condition
@product_status_updated
def redirect_archived(oldStatus, product, shop):
    'Redirect archived products'
    if product.status == ProductStatus.ARCHIVED:
        create_redirect_url(path='/products/{{ product.handle }}', target='/collections/all')
