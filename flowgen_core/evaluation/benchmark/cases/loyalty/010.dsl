# request: award 300 points for a 5 star review
# difficulty: medium
# features: condition connector
@review_created
def review_points(review, product, customer, shop):
    'Review points'
    if review.rating == 5:
        award_loyalty_points(customer_id=customer.id, points=300, reason='5-star review')
