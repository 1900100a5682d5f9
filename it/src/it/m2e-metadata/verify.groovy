// The plugin jar Maven resolved for this build holds META-INF/m2e/lifecycle-mapping-metadata.xml
// naming generate and generate-test (run on configuration and on incremental builds), and
// courier:help -Ddetail documents the new goal and parameters. The jar carries the generator's
// libraries relocated, and the installed pom names only plexus-build-api besides Maven's own API,
// so that Maven resolves few poms and jars for the plugin on every build.
import java.util.zip.ZipFile

def dir = new File(localRepositoryPath, 'dev/courier/courier-maven-plugin')
def jars = []
dir.eachFileRecurse(groovy.io.FileType.FILES) { if (it.name ==~ /courier-maven-plugin-.*\.jar/) jars << it }
assert jars.size() == 1 : "expected one plugin jar in ${dir}: ${jars}"
def zip = new ZipFile(jars[0])
try {
  def entry = zip.getEntry('META-INF/m2e/lifecycle-mapping-metadata.xml')
  assert entry != null : 'm2e metadata missing from the plugin jar'
  def xml = new groovy.xml.XmlSlurper().parse(zip.getInputStream(entry))
  def goals = xml.pluginExecutions.pluginExecution.pluginExecutionFilter.goals.goal*.text()
  assert goals.toSet() == ['generate', 'generate-test'] as Set : goals
  assert xml.pluginExecutions.pluginExecution.action.execute.runOnIncremental.text() == 'true'
  assert xml.pluginExecutions.pluginExecution.action.execute.runOnConfiguration.text() == 'true'
  ['dev/courier/shaded/protobuf/Message.class', 'dev/courier/shaded/javapoet/JavaFile.class',
   'dev/courier/shaded/freemarker/template/Configuration.class', 'dev/courier/options/MethodOptions.class',
   'courier/templates/templates.list'].each {
    assert zip.getEntry(it) != null : "${it} missing from the plugin jar"
  }
  def unrelocated = Collections.list(zip.entries()).findAll { it.name ==~ /(com\/google\/protobuf|com\/palantir|freemarker)\/.*\.class/ }*.name
  assert unrelocated.isEmpty() : "classes not relocated in the plugin jar: ${unrelocated.take(5)}"
} finally {
  zip.close()
}
def pom = new groovy.xml.XmlSlurper().parse(new File(jars[0].parentFile, jars[0].name.replace('.jar', '.pom')))
def needed = pom.dependencies.dependency.findAll { !(it.scope.text() in ['provided', 'test']) }
    .collect { "${it.groupId.text()}:${it.artifactId.text()}" }
assert needed == ['org.codehaus.plexus:plexus-build-api'] : "the installed plugin pom names ${needed}"
def log = new File(basedir, 'build.log').text
['courier:generate', 'courier:generate-test', 'resourcesOutputDirectory', 'templateDirectory', 'generateDocs',
 'testProtoSourceRoot', 'testOutputDirectory', 'courier.resourcesOutputDirectory', 'courier.templateDirectory'].each {
  assert log.contains(it) : "courier:help does not mention ${it}"
}
return true
