package dev.courier.runtime.queue.kafka;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.await;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broker failover for real: a KRaft cluster of three nodes, each in a JVM of its own ({@link
 * KafkaBrokerProcess}); Courier's topics with their production defaults (replication factor 3,
 * {@code min.insync.replicas} 2); calls under load, 24 outstanding; then {@code kill -9} of the
 * broker that leads most request partitions. Every call must end, by succeeding or failing with a
 * status (none lost silently), no request may run twice (one worker, whose dedupe promises once),
 * and calls must succeed again after the kill. Prints the counts; docs/queues.md quotes them.
 */
@Tag("slow") // three broker JVMs, one killed with SIGKILL
class KafkaBrokerFailoverTest {
  private static final int NODES = 3;
  private static final int OUTSTANDING = 24;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  /** Successful calls before the kill. */
  private static final long BEFORE_KILL = 500;
  /** Successful calls after the kill, before the load stops: the cluster serves again. */
  private static final long AFTER_KILL = 2000;

  private final List<Process> brokers = new ArrayList<>();
  private Path dir;

  @AfterEach
  void stopBrokers() throws Exception {
    for (Process p : brokers) {
      p.destroyForcibly();
    }
    for (Process p : brokers) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void killingTheBrokerThatLeadsMostRequestPartitionsLosesAndDoublesNoCall() throws Exception {
    String bootstrap = startCluster();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        KafkaQueue workerQueue = queue(bootstrap, "worker");
        QueueWorkerRuntime worker = QueueWorkerRuntime.builder(workerQueue).concurrency(4).handle(ECHO, req -> {
          runs.computeIfAbsent(req.getValue(), k -> new AtomicInteger()).incrementAndGet();
          return req;
        }).start();
        KafkaQueue clientQueue = queue(bootstrap, "client");
        QueueClientRuntime client = QueueClientRuntime.create(clientQueue).withTimeout(CALL_TIMEOUT)) {
      await("a first call", Duration.ofSeconds(60), () -> answered(client));
      String requestTopic = workerQueue.requestTopic(ECHO.fullName());
      TopicDescription topic = admin.describeTopics(List.of(requestTopic)).allTopicNames().get().get(requestTopic);
      assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      assertThat(minInSyncReplicas(admin, requestTopic)).isEqualTo("2");

      Load load = new Load(client);
      load.start();
      await("calls before the kill", Duration.ofSeconds(60), () -> load.succeeded.get() >= BEFORE_KILL);
      // Leaders as they are now, under load.
      topic = admin.describeTopics(List.of(requestTopic)).allTopicNames().get().get(requestTopic);
      int victim = leaderOfMostPartitions(topic);
      long succeededAtKill = load.succeeded.get();
      brokers.get(victim - 1).destroyForcibly(); // SIGKILL: no clean shutdown, no leadership hand-over
      assertThat(brokers.get(victim - 1).waitFor(10, TimeUnit.SECONDS)).isTrue();
      await("calls to succeed again after the kill", Duration.ofSeconds(60),
          () -> load.succeeded.get() - succeededAtKill >= AFTER_KILL);
      load.stop();
      assertThat(load.allEnded.await(CALL_TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS))
          .as("every call ended (none lost silently)").isTrue();

      long executedTwice = runs.values().stream().filter(n -> n.get() > 1).count();
      long neverRan = load.succeededValues.stream().filter(v -> !runs.containsKey(v)).count();
      System.out.printf("FAILOVER %d brokers, killed node %d (led %d of %d request partitions): calls=%d"
              + " succeeded=%d (after the kill: %d) failedWithStatus=%s timedOut=%d executedTwice=%d lost=0"
              + " deduplicated=%d%n", NODES, victim, ledBy(topic, victim), topic.partitions().size(),
          load.issued.get(), load.succeeded.get(), load.succeeded.get() - succeededAtKill, load.failures,
          load.timedOut.get(), executedTwice, worker.stats().deduplicated());
      assertThat(load.unclear).as("failures without a clear status").isEmpty();
      assertThat(executedTwice).as("requests run twice by the one worker").isZero();
      assertThat(neverRan).as("successes whose handler never ran").isZero();
    }
  }

  private static boolean answered(QueueClientRuntime client) {
    try {
      return client.withTimeout(Duration.ofSeconds(5)).call(ECHO, text("warm:0")).get().getValue().equals("warm:0");
    } catch (Exception e) {
      return false;
    }
  }

  private static KafkaQueue queue(String bootstrap, String clientId) {
    // Production defaults for replication (3 and 2 on three brokers); nothing set here.
    return KafkaQueue.builder().bootstrapServers(bootstrap).clientId(clientId).topicPrefix("failover.")
        .groupId("failover-workers").build();
  }

  /** Closed-loop load: {@link #OUTSTANDING} calls in flight, each end starting the next, until stopped. */
  private static final class Load {
    final QueueClientRuntime client;
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong issued = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong timedOut = new AtomicLong();
    final Map<Status.Code, AtomicLong> failures = new EnumMap<>(Status.Code.class);
    final List<Throwable> unclear = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.Set<String> succeededValues = ConcurrentHashMap.newKeySet();
    final CountDownLatch allEnded = new CountDownLatch(OUTSTANDING);

    Load(QueueClientRuntime client) {
      this.client = client;
    }

    void start() {
      for (int i = 0; i < OUTSTANDING; i++) {
        int lane = i;
        CompletableFuture.runAsync(() -> next(lane));
      }
    }

    void stop() {
      running.set(false);
    }

    private void next(int lane) {
      if (!running.get()) {
        allEnded.countDown();
        return;
      }
      String value = "key" + lane + ":" + issued.incrementAndGet();
      CompletableFuture<StringValue> call = client.call(ECHO, text(value));
      call.whenCompleteAsync((reply, error) -> {
        if (error == null) {
          succeeded.incrementAndGet();
          succeededValues.add(reply.getValue());
        } else if (error instanceof CourierException e && e.description() != null && !e.description().isEmpty()) {
          if (e.code() == Status.Code.DEADLINE_EXCEEDED) {
            timedOut.incrementAndGet();
          } else {
            synchronized (failures) {
              failures.computeIfAbsent(e.code(), c -> new AtomicLong()).incrementAndGet();
            }
          }
        } else {
          unclear.add(error);
        }
        next(lane);
      });
    }
  }

  private static int leaderOfMostPartitions(TopicDescription topic) {
    Map<Integer, Long> led = topic.partitions().stream()
        .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
    return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static long ledBy(TopicDescription topic, int node) {
    return topic.partitions().stream().map(TopicPartitionInfo::leader).filter(l -> l.id() == node).count();
  }

  private static String minInSyncReplicas(Admin admin, String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(r)).all().get().get(r);
    return config.get("min.insync.replicas").value();
  }

  /** Starts {@link #NODES} broker JVMs and returns the bootstrap servers once each has said READY. */
  private String startCluster() throws Exception {
    dir = Files.createTempDirectory("courier-kafka-cluster-");
    int[] ports = EmbeddedKafka.freePorts(2 * NODES);
    String voters = java.util.stream.IntStream.rangeClosed(1, NODES)
        .mapToObj(n -> n + "@127.0.0.1:" + ports[NODES + n - 1]).collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    CountDownLatch ready = new CountDownLatch(NODES);
    List<String> bootstrap = new ArrayList<>();
    for (int n = 1; n <= NODES; n++) {
      Process p = new ProcessBuilder(
              Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
              "-cp", System.getProperty("java.class.path"),
              KafkaBrokerProcess.class.getName(), Integer.toString(n), Integer.toString(ports[n - 1]),
              Integer.toString(ports[NODES + n - 1]), voters, clusterId, dir.resolve("node-" + n).toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      brokers.add(p);
      watch(p, ready);
      bootstrap.add("127.0.0.1:" + ports[n - 1]);
    }
    assertThat(ready.await(90, TimeUnit.SECONDS)).as("the three brokers start").isTrue();
    return String.join(",", bootstrap);
  }

  private static void watch(Process process, CountDownLatch ready) {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.equals("READY")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // killed: its output ends here
      }
    }, "broker-output");
    t.setDaemon(true);
    t.start();
  }

}
