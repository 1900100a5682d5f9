package dev.courier.runtime.queue.kafka;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.await;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueContractTest;
import dev.courier.runtime.queue.QueueHeaders;
import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.QueueTransport;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The queue contract on {@link KafkaQueue} with a real KRaft broker in this JVM (one per class),
 * and the Kafka record layout. Each test has its own topic prefix and consumer group.
 */
@Tag("slow") // a real KRaft broker in this JVM; skipped by -Pfast
class KafkaQueueTest extends QueueContractTest {
  private static final AtomicInteger TEST = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private KafkaQueue queue;
  private String group;

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

  @Override
  protected QueueTransport newTransport() {
    int n = TEST.incrementAndGet();
    group = "workers-" + n;
    queue = KafkaQueue.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .topicPrefix("t" + n + ".")
        .groupId(group)
        .clientId("test-" + n)
        .partitions(2)
        .build();
    return queue;
  }

  @Override
  protected List<QueueMessage> awaitDeadLetters(String method, int count) {
    return read(queue.deadLetterTopic(method), 2, count).stream().map(new KafkaRecords.Reader()::toMessage).toList();
  }

  @Override
  protected void awaitCommitted(int count) {
    await(count + " requests committed by " + group, WAIT, () -> committedOffsetsUnchecked(group) == count);
  }

  @Test
  void answeredRequestsAreCommittedOncePerCommitIntervalAndAtClose() throws Exception {
    int n = TEST.incrementAndGet();
    String group = "commit-" + n;
    KafkaQueue slowCommits = track(KafkaQueue.builder().bootstrapServers(kafka.bootstrapServers())
        .topicPrefix("c" + n + ".").groupId(group).clientId("commit-" + n).partitions(2)
        .commitInterval(Duration.ofMinutes(10)).build());
    QueueWorkerRuntime worker = track(QueueWorkerRuntime.builder(slowCommits)
        .handle(ECHO, req -> text("echo " + req.getValue())).start());
    QueueClientRuntime calls = track(QueueClientRuntime.create(slowCommits));
    for (int i = 0; i < 5; i++) {
      assertThat(get(calls.call(ECHO, text("k" + i + ":x"))).getValue()).isEqualTo("echo k" + i + ":x");
    }
    // The same calls through a queue with the default interval, started after: once its worker
    // has committed, a default interval has passed for the first worker too.
    String controlGroup = "commit-default-" + n;
    KafkaQueue defaultCommits = track(KafkaQueue.builder().bootstrapServers(kafka.bootstrapServers())
        .topicPrefix("d" + n + ".").groupId(controlGroup).clientId("commit-default-" + n).partitions(2).build());
    track(QueueWorkerRuntime.builder(defaultCommits).handle(ECHO, req -> text("echo " + req.getValue())).start());
    QueueClientRuntime controlCalls = track(QueueClientRuntime.create(defaultCommits));
    for (int i = 0; i < 5; i++) {
      assertThat(get(controlCalls.call(ECHO, text("k" + i + ":x"))).getValue()).isEqualTo("echo k" + i + ":x");
    }
    await("the default interval's commit", WAIT, () -> committedOffsetsUnchecked(controlGroup) == 5);

    assertThat(committedOffsets(group)).as("committed with a 10 min interval").isZero();
    worker.close();
    assertThat(committedOffsets(group)).as("committed at close").isEqualTo(5);
  }

  private static long committedOffsetsUnchecked(String group) {
    try {
      return committedOffsets(group);
    } catch (Exception e) {
      throw new AssertionError("cannot read the offsets of " + group, e);
    }
  }

  /** The sum of the offsets {@code group} has committed. */
  private static long committedOffsets(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
          .filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  /** Reads {@code count} records of {@code topic} from the beginning. */
  private static List<ConsumerRecord<String, byte[]>> read(String topic, int partitions, int count) {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(topic, p));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      await(count + " records on " + topic, WAIT, () -> {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return records.size() >= count;
      });
    }
    return records;
  }

  @Test
  void requestTopicIsNamedFromTheFullMethodNameWithThePrefix() {
    assertThat(queue.requestTopic("pkg.v1.Inventory/Reserve")).matches("t\\d+\\.pkg\\.v1\\.Inventory-Reserve");
    assertThat(queue.deadLetterTopic("pkg.v1.Inventory/Reserve")).endsWith("pkg.v1.Inventory-Reserve.dlq");
    assertThat(KafkaQueue.topicName("a b/c")).isEqualTo("a_b_c");
    assertThat(KafkaQueue.topicName("x".repeat(300))).hasSize(249);
  }

  @Test
  void requestRecordIsKeyedByHashKeyAndCarriesTheCallHeaders() {
    long before = System.currentTimeMillis();
    CompletableFuture<StringValue> call = client.withTimeout(Duration.ofMillis(100)).call(ECHO, text("cart-7:add"));
    long sent = System.currentTimeMillis();
    CourierException e = failure(call);
    assertThat(e.code()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);

    ConsumerRecord<String, byte[]> record = read(queue.requestTopic(ECHO.fullName()), 2, 1).get(0);

    assertThat(record.key()).isEqualTo("cart-7");
    // The wire format, spelled out: other Courier versions and tools read it. One binary header
    // (the envelope, format version 1) and nothing else, since every header costs on every record.
    assertThat(record.headers()).extracting(Header::key).containsExactly(QueueHeaders.ENVELOPE);
    assertThat(record.headers().lastHeader(QueueHeaders.ENVELOPE).value()[0]).isEqualTo((byte) 1);
    QueueMessage message = new KafkaRecords.Reader().toMessage(record);
    assertThat(message.headers()).isEmpty(); // the topic names the method
    assertThat(message.id()).isNotNull();
    assertThat(message.replyTo()).contains(".reply.test-");
    // The caller's clock when it sent the call, plus its timeout.
    assertThat(message.deadlineMillis()).isBetween(before + 100, sent + 100);
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("cart-7:add");
  }
}
