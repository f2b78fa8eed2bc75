# request: if a product gets deleted, send its old url to the homepage
# difficulty: easy
# features:
@product_deleted
def redirect_deleted(productId, shop):
    'Redirect deleted products'
    create_redirect_url(path='/products/{{productId}}', target='/')
