# request: use run code to count total quantity on an order and tag it bulky if more than 20 items
# difficulty: hard
# features: condition
@order_created
def bulky(order, shop):
    'Bulky orders'
    runCode = run_code(input='query { order { lineItems { quantity } } }', script='export default function main(input) {\n  const n = input.order.lineItems.reduce((a, l) => a + l.quantity, 0);\n  return { bulky: n > 20 };\n}', output_schema='type Output { bulky: Boolean! }')
    if runCode.bulky == True:
        add_order_tags(order_id=order.id, tags=['bulky'])
