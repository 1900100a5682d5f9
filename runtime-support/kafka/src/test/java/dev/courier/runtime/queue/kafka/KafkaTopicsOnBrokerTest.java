package dev.courier.runtime.queue.kafka;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.await;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On a real KRaft broker: the replication of the topics Courier creates, and the shared,
 * pre-created reply topic (a partition per client instance, or every partition filtered by
 * call id), including what a restarted client does with the replies to its predecessor's
 * calls. Each test has its own topic prefix and group.
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Tag("slow") // a real KRaft broker in this JVM; skipped by -Pfast
class KafkaTopicsOnBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger TEST = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private static Admin admin;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.start();
    admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
  }

  @AfterAll
  static void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static KafkaQueue.Builder queue(String prefix) {
    return KafkaQueue.builder().bootstrapServers(kafka.bootstrapServers()).topicPrefix(prefix)
        .groupId(prefix + "workers").clientId(prefix + "client").partitions(2);
  }

  private static void createTopic(String topic, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
  }

  @Test
  void topicsCourierCreatesOnOneBrokerHaveOneReplicaAndOneInSync() throws Exception {
    String prefix = "r" + TEST.incrementAndGet() + ".";
    try (KafkaQueue q = queue(prefix).build();
        QueueWorkerRuntime worker = QueueWorkerRuntime.builder(q).handle(ECHO, req -> req).start()) {
      String topic = q.requestTopic(ECHO.fullName());
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
      assertThat(minInSyncReplicas(topic)).isEqualTo("1");
    }
  }

  @Test
  void replicationFactorTheClusterCannotHaveFailsNamingTheSetting() {
    String prefix = "r" + TEST.incrementAndGet() + ".";
    try (KafkaQueue q = queue(prefix).replicationFactor(3).build()) {
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> QueueWorkerRuntime.builder(q).handle(ECHO, req -> req).start());

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.description()).contains("could not create topic " + q.requestTopic(ECHO.fullName()),
          "replication factor 3 and min.insync.replicas 2 (KafkaQueue.builder().replicationFactor/minInSyncReplicas)",
          "on Kafka at " + kafka.bootstrapServers(), "InvalidReplicationFactorException");
    }
  }

  @Test
  void clientsOnTheSharedReplyTopicEachGetTheirRepliesOnTheirOwnPartition() throws Exception {
    String prefix = "s" + TEST.incrementAndGet() + ".";
    String replies = prefix + "replies";
    createTopic(replies, 3);
    Set<String> before = admin.listTopics().names().get();
    try (KafkaQueue workerQueue = queue(prefix).build();
        QueueWorkerRuntime worker = QueueWorkerRuntime.builder(workerQueue).handle(ECHO, req -> req).start();
        KafkaQueue queueA = queue(prefix).clientId("a").replyTopic(replies).replyPartition(0).build();
        KafkaQueue queueB = queue(prefix).clientId("b").replyTopic(replies).replyPartition(2).build();
        QueueClientRuntime a = QueueClientRuntime.create(queueA);
        QueueClientRuntime b = QueueClientRuntime.create(queueB)) {
      List<CompletableFuture<StringValue>> callsA = calls(a, "a", 10);
      List<CompletableFuture<StringValue>> callsB = calls(b, "b", 7);

      assertAnswered(callsA, "a");
      assertAnswered(callsB, "b");
      assertThat(recordsOn(replies, 0, 10)).as("partition 0: a's replies").isEqualTo(10);
      assertThat(recordsOn(replies, 2, 7)).as("partition 2: b's replies").isEqualTo(7);
      assertThat(recordsOn(replies, 1, 0)).as("partition 1: nobody's").isZero();
      Set<String> created = new java.util.HashSet<>(admin.listTopics().names().get());
      created.removeAll(before);
      assertThat(created).as("no reply topic created by a client").noneMatch(t -> t.contains("reply"));
    }
  }

  @Test
  void clientReadingEveryPartitionKeepsItsOwnRepliesAndSkipsTheOthers() throws Exception {
    String prefix = "s" + TEST.incrementAndGet() + ".";
    String replies = prefix + "replies";
    createTopic(replies, 2);
    try (KafkaQueue workerQueue = queue(prefix).build();
        QueueWorkerRuntime worker = QueueWorkerRuntime.builder(workerQueue).handle(ECHO, req -> req).start();
        KafkaQueue queueA = queue(prefix).clientId("a").replyTopic(replies).build();
        KafkaQueue queueB = queue(prefix).clientId("b").replyTopic(replies).build();
        QueueClientRuntime a = QueueClientRuntime.create(queueA);
        QueueClientRuntime b = QueueClientRuntime.create(queueB)) {
      List<CompletableFuture<StringValue>> callsA = calls(a, "a", 20);
      List<CompletableFuture<StringValue>> callsB = calls(b, "b", 20);

      assertAnswered(callsA, "a");
      assertAnswered(callsB, "b");
      await("both clients to have read all 40 replies", WAIT, () -> recordsOnBoth(replies) == 40);
      assertThat(a.stats().replied()).isEqualTo(20);
      assertThat(a.stats().lateReplies()).as("b's replies are not a's late ones").isZero();
      assertThat(b.stats().lateReplies()).isZero();
    }
  }

  @Test
  void restartedClientSkipsTheRepliesToItsPredecessorsCallsWhichFailedAtClose() throws Exception {
    String prefix = "s" + TEST.incrementAndGet() + ".";
    String replies = prefix + "replies";
    createTopic(replies, 1);
    try (KafkaQueue clientQueue = queue(prefix).clientId("a").replyTopic(replies).replyPartition(0).build()) {
      QueueClientRuntime first = QueueClientRuntime.create(clientQueue);
      // No worker yet: the call waits in the request topic when its client goes away.
      CompletableFuture<StringValue> orphan = first.call(ECHO, text("k:orphan"));
      await("the request to be enqueued", WAIT, () -> first.stats().sent() == 1);
      first.close();
      CourierException e = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
          () -> orphan.get(30, TimeUnit.SECONDS)).getCause() instanceof CourierException ce ? ce : null;
      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.description()).isEqualTo("queue client closed");

      CountDownLatch orphanRan = new CountDownLatch(1);
      try (QueueClientRuntime second = QueueClientRuntime.create(clientQueue);
          KafkaQueue workerQueue = queue(prefix).build();
          QueueWorkerRuntime worker = QueueWorkerRuntime.builder(workerQueue).handle(ECHO, req -> {
            if (req.getValue().equals("k:orphan")) {
              orphanRan.countDown();
            }
            return req;
          }).start()) {
        assertThat(orphanRan.await(30, TimeUnit.SECONDS)).as("the worker still runs the orphaned call").isTrue();
        assertThat(second.call(ECHO, text("k:new")).get(30, TimeUnit.SECONDS).getValue()).isEqualTo("k:new");
        await("both replies on the partition", WAIT, () -> recordsOn(replies, 0, 2) == 2);
        assertThat(second.stats().replied()).isEqualTo(1);
        assertThat(second.stats().lateReplies()).as("the orphan's reply is the first client's, not ours").isZero();
      }
    }
  }

  @Test
  void missingSharedReplyTopicFailsSayingItIsNotCreatedByCourier() {
    String prefix = "s" + TEST.incrementAndGet() + ".";
    try (KafkaQueue q = queue(prefix).replyTopic(prefix + "nowhere").brokerTimeout(Duration.ofSeconds(5)).build()) {
      CourierException e = catchThrowableOfType(CourierException.class, () -> QueueClientRuntime.create(q));

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.description()).contains("could not find topic " + prefix + "nowhere (the shared reply topic,"
          + " KafkaQueue.builder().replyTopic; it is not created by Courier", "UnknownTopicOrPartitionException");
    }
  }

  private static List<CompletableFuture<StringValue>> calls(QueueClientRuntime client, String tag, int n) {
    List<CompletableFuture<StringValue>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(client.call(ECHO, text(tag + i + ":" + i)));
    }
    return calls;
  }

  private static void assertAnswered(List<CompletableFuture<StringValue>> calls, String tag) throws Exception {
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(30, TimeUnit.SECONDS).getValue()).isEqualTo(tag + i + ":" + i);
    }
  }

  private static String minInSyncReplicas(String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(r)).all().get().get(r);
    return config.get("min.insync.replicas").value();
  }

  private static int recordsOnBoth(String topic) {
    return recordsOn(topic, 0, 0) + recordsOn(topic, 1, 0);
  }

  /** How many records partition {@code partition} of {@code topic} holds, waiting a little for {@code expected}. */
  private static int recordsOn(String topic, int partition, int expected) {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, partition);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      int count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(expected == 0 ? 0 : 10).toNanos();
      while (consumer.position(tp) < end || (count < expected && System.nanoTime() < deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          count++;
        }
        if (count >= expected && consumer.position(tp) >= end) {
          break;
        }
      }
      return count;
    }
  }
}
