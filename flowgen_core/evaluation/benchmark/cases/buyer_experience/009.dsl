# request: when a wishlisted item is back in stock text the customer on whatsapp using template back_in_stock
# difficulty: medium
# features: connector
@wishlist_item_restocked
def wishlist_back(customer, product, shop):
    'Wishlist restock WhatsApp'
    send_whatsapp_message(to='{{customer.phone}}', template_name='back_in_stock', parameters=['{{product.title}}'])
