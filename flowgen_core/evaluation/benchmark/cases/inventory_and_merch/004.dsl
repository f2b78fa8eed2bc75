# request: hide products when they sell out
# difficulty: easy
# features:
@product_variant_out_of_stock
def hide_sold_out(product, productVariant, shop):
    'Hide sold out products'
    hide_product(product_id=product.id)
