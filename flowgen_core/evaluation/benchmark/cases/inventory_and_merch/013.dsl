# request: archived products shouldn't show anywhere, unpublish them when status changes to archived
# difficulty: medium
# features: condition
@product_status_updated
def unpublish_archived(oldStatus, product, shop):
    'Hide archived'
    if product.status == ProductStatus.ARCHIVED:
        hide_product(product_id=product.id)
