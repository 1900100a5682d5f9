// The plugin jar Maven resolved for this build holds META-INF/m2e/lifecycle-mapping-metadata.xml
// naming generate and generate-test (run on configuration and on incremental builds), and
// courier:help -Ddetail documents the new goal and parameters.
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
} finally {
  zip.close()
}
def log = new File(basedir, 'build.log').text
['courier:generate', 'courier:generate-test', 'resourcesOutputDirectory', 'templateDirectory', 'generateDocs',
 'testProtoSourceRoot', 'testOutputDirectory', 'courier.resourcesOutputDirectory', 'courier.templateDirectory'].each {
  assert log.contains(it) : "courier:help does not mention ${it}"
}
return true
