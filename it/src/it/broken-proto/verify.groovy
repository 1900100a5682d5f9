// The failure names the file, line and column as protoc reports them, then one summary line.
def log = new File(basedir, 'build.log').text
def proto = new File(basedir, 'src/main/proto/shop/item.proto').canonicalPath
assert log.contains("[ERROR] ${proto}:7:3: Expected \";\".") : 'protoc file:line:col line missing'
assert log.contains('Courier: protoc failed with 1 error(s) in 1 .proto file(s); fix the lines above and build again')
return true
