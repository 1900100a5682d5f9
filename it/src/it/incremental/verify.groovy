// Two builds in one folder (invoker.goals.1/.2 share build.log). The second logs one skip line,
// runs no protoc, and rewrites nothing: every generated file is older than the end of build 1.
import java.time.Instant

def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Finished at: /)
assert builds.length == 3 : 'expected two builds in build.log'

def first = builds[0].readLines().findAll { it.contains('Courier:') }
assert first.size() == 1 && first[0] =~ /Courier: \d+ files from 1 proto files in .* \(\d+ written, 0 unchanged, 0 deleted\)/ : first
def second = builds[1].readLines().findAll { it.contains('Courier:') }
assert second == ['[INFO] Courier: 1 proto files unchanged, generation skipped'] : second

long firstFinished = Instant.parse(builds[1].readLines()[0].trim()).toEpochMilli()
def out = new File(basedir, 'target/generated-sources/courier')
def files = []
out.eachFileRecurse(groovy.io.FileType.FILES) { files << it }
assert files.size() > 0
files.each {
  assert it.lastModified() < firstFinished + 1000 : "${it} was rewritten by the second build"
}
assert new File(out, 'dev/courier/it/notes/NotesClient.java').isFile()
return true
