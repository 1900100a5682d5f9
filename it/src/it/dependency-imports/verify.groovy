// google/api/annotations.proto was imported from the dependency jar and not generated again.
def out = new File(basedir, 'target/generated-sources/courier')
assert new File(out, 'dev/courier/it/gateway/UsersClient.java').isFile()
assert new File(basedir, 'target/classes/dev/courier/it/gateway/UsersClient.class').isFile()
assert !new File(out, 'com/google/api').exists() : 'imports from dependencies must not be generated'
assert new File(basedir, 'target/courier/dependency-protos/google/api/annotations.proto').isFile()
return true
