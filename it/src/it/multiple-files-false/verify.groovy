def out = new File(basedir, 'target/generated-sources/courier/dev/courier/it/orders')
assert new File(out, 'OrdersProto.java').isFile()
assert !new File(out, 'Order.java').exists() : 'messages must stay nested in OrdersProto'
assert new File(out, 'OrdersClient.java').isFile()
assert new File(basedir, 'target/classes/dev/courier/it/orders/OrdersClient.class').isFile()
return true
