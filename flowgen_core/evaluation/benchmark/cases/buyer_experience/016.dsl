# request: close returns once they have been processed
# difficulty: easy
# features:
@return_processed
def close_processed(shop):
    'Close processed returns'
    close_return(return_id='return.id')
