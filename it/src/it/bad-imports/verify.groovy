// A missing import: protoc's file:line:col line, then which import, from where, where it was
// looked for and what to add. (Unknown options: CodegenPipelineTest, protoc stops at the first bad file.)
def log = new File(basedir, 'build.log').text
def root = new File(basedir, 'src/main/proto').canonicalPath
assert log.contains("[ERROR] ${root}/shop/price.proto:5:1: Import \"acme/money.proto\" was not found or had errors.")
assert log.contains("[ERROR]   Courier: import \"acme/money.proto\" (from ${root}/shop/price.proto:5) was not found in [${root}, ")
assert log.contains('add the dependency whose jar contains acme/money.proto, or put the file under ' + root)
assert log.contains('Courier: protoc failed with 2 error(s) in 1 .proto file(s); fix the lines above and build again')
return true
