# request: new products from the vendor go in the New Arrivals collection (id gid://shopify/Collection/111)
# difficulty: easy
# features:
@product_created
def new_arrivals(product, shop):
    'New arrivals'
    add_product_to_collections(product_id=product.id, collection_ids=['gid://shopify/Collection/111'])
