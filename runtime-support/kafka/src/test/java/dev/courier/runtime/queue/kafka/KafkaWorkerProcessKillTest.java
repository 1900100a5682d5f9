package dev.courier.runtime.queue.kafka;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.await;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * At-least-once with a real kill: a worker in its own JVM is killed with SIGKILL while calls are
 * in flight (no graceful close, no offset commit of what it was doing); a worker started
 * afterwards in the same group answers every call, and every caller gets its own reply.
 */
@Tag("slow") // a second JVM killed with SIGKILL, and a real broker; skipped by -Pfast
class KafkaWorkerProcessKillTest {
  /** The group notices a dead member after this long; the broker's minimum is 6 s. */
  private static final String SESSION_TIMEOUT_MS = "6000";
  private static final int CALLS = 60;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static KafkaQueue queue(String bootstrap, String prefix, String group, String clientId) {
    return KafkaQueue.builder()
        .bootstrapServers(bootstrap)
        .topicPrefix(prefix)
        .groupId(group)
        .clientId(clientId)
        .partitions(2)
        .consumerProperty("session.timeout.ms", SESSION_TIMEOUT_MS)
        .consumerProperty("heartbeat.interval.ms", "1000")
        .build();
  }

  @Test
  void workerKilledWithSigkillMidStreamLosesNoCall() throws Exception {
    Set<String> ranInDoomed = ConcurrentHashMap.newKeySet();
    Set<String> heldInDoomed = ConcurrentHashMap.newKeySet();
    CountDownLatch ready = new CountDownLatch(1);
    Process doomed = new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            KafkaWorkerProcess.class.getName(), kafka.bootstrapServers(), "kill.", "kill-workers")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Thread reader = readLines(doomed, ready, ranInDoomed, heldInDoomed);
    try (KafkaQueue clientQueue = queue(kafka.bootstrapServers(), "kill.", "kill-workers", "caller");
         QueueClientRuntime client = QueueClientRuntime.create(clientQueue).withTimeout(Duration.ofSeconds(60))) {
      assertThat(ready.await(60, TimeUnit.SECONDS)).as("the worker process starts").isTrue();
      List<CompletableFuture<StringValue>> calls = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        calls.add(client.call(ECHO, text("key" + (i % 6) + ":" + i)));
      }
      await("a few calls to run in the worker process, and one to be held there", Duration.ofSeconds(60),
          () -> ranInDoomed.size() == KafkaWorkerProcess.COMPLETED && !heldInDoomed.isEmpty());

      doomed.destroyForcibly();
      assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
      int doneAtKill = (int) calls.stream().filter(CompletableFuture::isDone).count();
      assertThat(doneAtKill).as("calls answered before the kill").isLessThan(CALLS);

      Set<String> ranInSuccessor = ConcurrentHashMap.newKeySet();
      try (KafkaQueue workerQueue = queue(kafka.bootstrapServers(), "kill.", "kill-workers", "successor");
           QueueWorkerRuntime successor = QueueWorkerRuntime.builder(workerQueue).handle(ECHO, req -> {
             ranInSuccessor.add(req.getValue());
             return req;
           }).start()) {
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < CALLS; i++) {
          assertThat(calls.get(i).get().getValue()).isEqualTo("key" + (i % 6) + ":" + i);
        }
        assertThat(ranInSuccessor).as("the successor ran what the killed worker had not answered").isNotEmpty()
            .as("the calls in flight in the killed worker").containsAll(heldInDoomed);
        assertThat(successor.stats().executed()).isEqualTo(ranInSuccessor.size());
      }
    } finally {
      doomed.destroyForcibly();
      reader.join(5_000);
    }
  }

  /** Reads the worker process's lines: {@code READY}, {@code RAN <value>}, {@code HELD <value>}. */
  private static Thread readLines(Process process, CountDownLatch ready, Set<String> ran, Set<String> held) {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.equals("READY")) {
            ready.countDown();
          } else if (line.startsWith("RAN ")) {
            ran.add(line.substring(4));
          } else if (line.startsWith("HELD ")) {
            held.add(line.substring(5));
          }
        }
      } catch (java.io.IOException e) {
        // The process was killed: its output ends here.
      }
    }, "worker-process-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
