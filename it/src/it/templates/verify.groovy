// The user's service/reference.md.ftl replaced the default Markdown, build/index.txt.ftl added an
// output, the defaults without a user template (HTML, config skeleton) still appeared, and the
// second build skipped with one line.
def docs = new File(basedir, 'target/generated-resources/courier')
def md = new File(docs, 'shop/Catalog-reference.md').text
assert md.startsWith('# Catalog (user template)\n') : md
assert md.contains('- shop.Catalog/GetBook: Finds one book by its SKU.') : md
assert md.contains('[CONSISTENT_HASH, timeout 2s, key sku]') : md
assert new File(docs, 'index.txt').text == 'shop.Catalog CatalogClient\n'
def html = new File(docs, 'shop/Catalog-reference.html').text
assert html.contains('<html') && html.contains('GetBook') : 'default HTML reference missing'
assert new File(docs, 'shop/Catalog-config.properties').text.contains('courier.') : 'default config skeleton missing'
assert !new File(basedir, 'target/generated-sources/courier/shop').exists() : 'docs went to the Java sources'

def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Finished at: /)
assert builds.length == 3 : 'expected two builds in build.log'
assert builds[0] =~ /; 4 docs in .*generated-resources.courier \(4 written, 0 unchanged, 0 deleted\)/
def second = builds[1].readLines().findAll { it.contains('Courier:') }
assert second == ['[INFO] Courier: 1 proto files unchanged, generation skipped'] : second
return true
