// No src/main/proto: exactly one Courier line, and nothing generated.
def log = new File(basedir, 'build.log').text
def proto = new File(basedir, 'src/main/proto').canonicalPath
def lines = log.readLines().findAll { it.contains('Courier:') }
assert lines == ["[INFO] Courier: no .proto files in ${proto}, nothing to generate".toString()] : lines
assert !new File(basedir, 'target/generated-sources/courier').exists()
return true
