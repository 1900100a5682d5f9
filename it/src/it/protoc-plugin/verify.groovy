// protoc-gen-courier (through ascopes' plugin) and courier:generate wrote the same files, byte for byte:
// the Java sources (protoc's message classes and Courier's service classes) and the docs.
import java.nio.file.Files
import java.nio.file.Path

def tree = { Path root ->
  def files = [:] as TreeMap
  Files.walk(root).filter { Files.isRegularFile(it) }.each { files[root.relativize(it).toString().replace('\\', '/')] = it }
  files
}
def target = basedir.toPath().resolve('target')
def mojoJava = tree(target.resolve('generated-sources/courier'))
def mojoDocs = tree(target.resolve('generated-resources/courier'))
def ascopes = tree(target.resolve('generated-sources/protobuf'))
def ascopesJava = ascopes.findAll { !it.key.startsWith('courier-docs/') }
def ascopesDocs = ascopes.findAll { it.key.startsWith('courier-docs/') }.collectEntries { [(it.key - 'courier-docs/'): it.value] }

assert mojoJava.keySet().any { it.endsWith('OrdersClient.java') } : "courier:generate wrote no client: ${mojoJava.keySet()}"
assert mojoDocs.keySet().contains('shop/Orders-reference.md') : "courier:generate wrote no docs: ${mojoDocs.keySet()}"
assert ascopesJava.keySet() == mojoJava.keySet() : "Java files differ: only Mojo ${mojoJava.keySet() - ascopesJava.keySet()}, only protoc plugin ${ascopesJava.keySet() - mojoJava.keySet()}"
assert ascopesDocs.keySet() == mojoDocs.keySet() : "docs differ: only Mojo ${mojoDocs.keySet() - ascopesDocs.keySet()}, only protoc plugin ${ascopesDocs.keySet() - mojoDocs.keySet()}"
[[mojoJava, ascopesJava], [mojoDocs, ascopesDocs]].each { pair ->
  pair[0].each { name, file ->
    assert Arrays.equals(Files.readAllBytes(file), Files.readAllBytes(pair[1][name])) : "${name} differs between courier:generate and protoc-gen-courier"
  }
}
println "protoc-plugin: ${mojoJava.size()} Java files and ${mojoDocs.size()} docs identical"
return true
