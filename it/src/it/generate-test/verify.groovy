// generate-test wrote the test service into generated test sources, apart from generate's output
// and state, without generating the imported main messages again; the test using it passed.
def main = new File(basedir, 'target/generated-sources/courier/dev/courier/it/gentest')
def test = new File(basedir, 'target/generated-test-sources/courier/dev/courier/it/gentest')
assert new File(main, 'CatalogClient.java').isFile()
assert new File(main, 'Book.java').isFile()
assert new File(test, 'testing/StubCatalogClient.java').isFile()
assert !new File(test, 'Book.java').exists() : 'main messages generated again into test sources'
assert !new File(main, 'testing').exists() : 'test service leaked into main sources'
assert new File(basedir, 'target/courier/fingerprint.txt').isFile()
assert new File(basedir, 'target/courier-test/fingerprint.txt').isFile()
assert new File(basedir, 'target/test-classes/dev/courier/it/gentest/testing/StubCatalogClient.class').isFile()
assert !new File(basedir, 'target/classes/dev/courier/it/gentest/testing').exists()
def log = new File(basedir, 'build.log').text
assert log =~ /Tests run: 1, Failures: 0, Errors: 0, Skipped: 0/ : 'StubCatalogTest did not run'
return true
