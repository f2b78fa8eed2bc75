# request: when a product goes back to active from archived, remove the redirect for it
# difficulty: medium
# features: condition
@product_status_updated
def unredirect(oldStatus, product, shop):
    'Remove redirect on reactivation'
    if product.status == ProductStatus.ACTIVE and oldStatus == ProductStatus.ARCHIVED:
        delete_redirect_urls(paths=['/products/{{product.handle}}'])
