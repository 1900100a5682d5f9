// The failing template is named with its line and the missing variable, then one summary line;
// nothing was rendered.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] template service/endpoints.txt.ftl, line 2: ${m.polcy} is missing or null') : 'template, line or variable missing from the log'
assert log =~ /Courier: 1 problem\(s\) in templates \(templateDirectory .*courier-templates\); fix the lines above and build again/
assert !new File(basedir, 'target/generated-resources/courier/shop/Catalog-endpoints.txt').exists()
return true
