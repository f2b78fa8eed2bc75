# request: when a metaobject entry is created, log its handle
# difficulty: medium
# features:
@metaobject_entry_created
def log_entry(metaobject, shop):
    'Log new entries'
    log_output(message='{{metaobject.handle}}')
