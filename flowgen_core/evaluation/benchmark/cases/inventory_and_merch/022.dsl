# request: When an inventory transfer is completed, email receiving@shop.com
# difficulty: medium
# features: email
@inventory_transfer_completed
def transfer_done(inventoryTransfer, shop):
    'Transfer completed'
    send_internal_email(address='receiving@shop.com', subject='Transfer {{inventoryTransfer.name}} completed', message='Transfer {{inventoryTransfer.name}} has arrived.')
