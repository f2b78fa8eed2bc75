# request: Publish 5 star reviews automatically
# difficulty: medium
# features: condition connector
@review_created
def publish_five(review, product, customer, shop):
    'Publish 5-star reviews'
    if review.rating == 5:
        publish_review(review_id=review.id)
