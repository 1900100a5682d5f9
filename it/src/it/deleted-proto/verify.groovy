// A changed parameter regenerates; files of the proto that left the set are deleted, the
// others are left as they are (byte-identical, not rewritten).
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Finished at: /)
assert builds.length == 3 : 'expected two builds in build.log'
def second = builds[1].readLines().findAll { it.contains('Courier:') }
assert second.size() == 1 && second[0] =~ /Courier: \d+ files from 1 proto files in .* \(0 written, \d+ unchanged, [1-9]\d* deleted\)/ : second

def out = new File(basedir, 'target/generated-sources/courier/dev/courier')
assert !new File(out, 'it/extra').exists() : 'files generated from extra/tags.proto must be gone'
assert new File(out, 'it/notes/NotesClient.java').isFile()
assert new File(out, 'it/notes/Note.java').isFile()
return true
