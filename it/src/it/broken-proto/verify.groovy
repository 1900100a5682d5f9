// The failure names the file, line and column as protoc reports them, then one summary line.
def log = new File(basedir, 'build.log').text
def proto = new File(basedir, 'src/main/proto/shop/item.proto').canonicalPath
assert log.contains("[ERROR] ${proto}:7:3: Expected \";\".") : 'protoc file:line:col line missing'
assert log.contains('Courier: protoc failed with 1 error(s) in 1 .proto file(s); fix the lines above and build again')
// Printed once, in the form terminals and IDEs link; not again as Plexus's "file [line:col]" marker line.
assert log.count("${proto}:7:3: Expected") == 1 : 'the protoc line is printed more than once'
assert !log.contains("${proto} [7:3]") : 'the marker form is printed on the command line too'
return true
