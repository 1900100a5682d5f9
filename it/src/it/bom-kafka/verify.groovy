// A project with no Courier parent imported courier-bom, added courier-runtime and courier-kafka
// (nothing else in compile scope, no versions), and its test made a queue call through the
// generated GreeterQueueClient and GreeterQueueWorker over a real Kafka broker.
def pom = new groovy.xml.XmlSlurper().parse(new File(basedir, 'pom.xml'))
assert pom.parent.isEmpty() : 'the scenario must not inherit a Courier parent'
def imported = pom.dependencyManagement.dependencies.dependency.findAll { it.scope.text() == 'import' }
assert imported.collect { "${it.groupId}:${it.artifactId}:${it.type}".toString() } == ['dev.courier:courier-bom:pom']

def compile = pom.dependencies.dependency.findAll { it.scope.text() in ['', 'compile'] }
assert compile.collect { "${it.groupId}:${it.artifactId}".toString() } ==
    ['dev.courier:courier-runtime', 'dev.courier:courier-kafka'] : 'compile-scope dependencies other than courier-runtime and courier-kafka'
compile.each { assert it.version.text().isEmpty() : "${it.artifactId} has a version: the BOM must pin it" }
def others = pom.dependencies.dependency.findAll { !(it.scope.text() in ['', 'compile']) }
others.each { assert it.scope.text() == 'test' : "${it.artifactId} is in scope ${it.scope}" }

def out = new File(basedir, 'target/generated-sources/courier/dev/courier/it/bomkafka')
['GreeterQueueClient.java', 'GreeterQueueWorker.java'].each {
  assert new File(out, it).isFile() : "missing generated file $it"
}

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'GreeterOverKafkaTest did not run and pass'
// -Xlint:all: neither the generated code nor the user's code (main or test) draws a warning.
def warnings = []
def inCompiler = false
log.eachLine { line ->
  if (line.startsWith('[INFO] --- ')) {
    inCompiler = line.contains('maven-compiler-plugin:')
  } else if (inCompiler && line.startsWith('[WARNING]')
      // Resolving the compiler's own dependencies on the first fill of local-repo.
      && !line.contains('Could not validate integrity of download')
      && !line.contains('Checksum validation failed')) {
    warnings << line
  }
}
assert warnings.isEmpty() : "compiler warnings:\n${warnings.join('\n')}"
return true
