// The four-kind service was generated, compiled, and EchoTest called it over loopback and, for
// the queue-backed method, over the embedded queue.
def out = new File(basedir, 'target/generated-sources/courier/dev/courier/it/basic')
['Echo.java', 'EchoClient.java', 'EchoServer.java', 'EchoQueueClient.java', 'EchoQueueWorker.java',
    'Message.java', 'RepeatRequest.java'].each {
  assert new File(out, it).isFile() : "missing generated file $it"
}
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 5, Failures: 0, Errors: 0, Skipped: 0') : 'EchoTest did not run all four RPC kinds and the queue'
return true
