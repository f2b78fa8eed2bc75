# request: bad reviews (2 stars or less) should open a high priority helpdesk ticket and email support@brand.com
# difficulty: hard
# features: condition email connector
@review_created
def bad_review(review, product, customer, shop):
    'Bad review follow-up'
    if review.rating <= 2:
        create_support_ticket(subject='Bad review on {{product.title}}', body='{{review.body}}', customer_email='{{customer.email}}', priority='high')
        send_internal_email(address='support@brand.com', subject='Bad review', message='{{customer.email}} rated {{product.title}} {{review.rating}} stars')
