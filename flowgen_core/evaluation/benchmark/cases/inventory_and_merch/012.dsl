# request: add a row to our inventory Google Sheet (id 1XyZ, tab Restock) when a variant goes out of stock
# difficulty: medium
# features: connector
@product_variant_out_of_stock
def sheet_restock(product, productVariant, shop):
    'Restock sheet'
    add_sheet_row(spreadsheet_id='1XyZ', sheet_name='Restock', row=['{{product.title}}', '{{productVariant.sku}}'])
