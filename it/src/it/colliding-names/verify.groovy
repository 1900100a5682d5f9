// Names colliding with java.lang, Object's methods and generated type names still compile.
def classes = new File(basedir, 'target/classes/dev/courier/it/collide')
assert new File(classes, 'ReflectionClient.class').isFile()
assert new File(classes, 'String.class').isFile()
assert new File(classes, 'things/ThingsProto.class').isFile()
assert new File(classes, 'things/ThingsProto$ThingsClient.class').isFile()
return true
