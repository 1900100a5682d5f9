// Both code generators ran on the same .proto, and the interop tests passed in both directions.
def base = 'dev/courier/it/interop'
assert new File(basedir, "target/generated-sources/courier/$base/EchoClient.java").isFile()
assert new File(basedir, "target/generated-sources/grpc-java/$base/EchoGrpc.java").isFile()
def log = new File(basedir, 'build.log').text
assert log =~ /Tests run: 18, Failures: 0, Errors: 0, Skipped: 0/ : 'interop tests did not all run'
return true
