# request: Tag products as sold-out when a variant goes out of stock
# difficulty: easy
# features:
@product_variant_out_of_stock
def tag_sold_out(product, productVariant, shop):
    'Tag sold out'
    add_product_tags(product_id=product.id, tags=['sold-out'])
