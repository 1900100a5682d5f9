package dev.courier.runtime.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The properties Courier gives its Kafka clients: the chosen settings, then the properties for
 * every client, then those for one kind of client, each winning over what came before.
 */
class KafkaClientSettingsTest {
  private static KafkaQueueConfig config(Map<String, String> all, Map<String, String> producer,
      Map<String, String> consumer) {
    return new KafkaQueueConfig("b:9092", "courier.", "shop", "workers", ".dlq", 4, 3,
        Duration.ofSeconds(1), Duration.ofSeconds(7), Duration.ofSeconds(20), 0, 0, null, -1, all, producer, consumer);
  }

  @Test
  void producerIsSetForLatencyAndDurability() {
    Properties p = KafkaProducerSettings.of(config(Map.of(), Map.of(), Map.of()));
    assertThat(p).containsEntry("bootstrap.servers", "b:9092").containsEntry("client.id", "shop")
        .containsEntry("linger.ms", "0").containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true").containsEntry("batch.size", "65536")
        .containsEntry("max.in.flight.requests.per.connection", "1");
  }

  @Test
  void producerGivesARecordUpAfterTheDeliveryTimeoutAndBlocksNoLongerThanTheBrokerTimeout() {
    Properties p = KafkaProducerSettings.of(config(Map.of(), Map.of(), Map.of()));
    assertThat(p).containsEntry("delivery.timeout.ms", "20000").containsEntry("request.timeout.ms", "20000")
        .containsEntry("max.block.ms", "7000");
    // Kafka's 120 s would let a request be written long after the 30 s default call timeout.
    try (KafkaQueue queue = KafkaQueue.builder().bootstrapServers("127.0.0.1:1").build()) {
      assertThat(queue.producerSettings()).containsEntry("delivery.timeout.ms", "30000")
          .containsEntry("request.timeout.ms", "30000").containsEntry("max.block.ms", "10000");
    }
  }

  @Test
  void consumersWaitNoLongerThanTheBrokerTimeout() {
    assertThat(KafkaConsumerSettings.forWorkers(config(Map.of(), Map.of(), Map.of())))
        .containsEntry("default.api.timeout.ms", "7000");
  }

  @Test
  void workersConsumeInTheirGroupAndCommitByHand() {
    Properties p = KafkaConsumerSettings.forWorkers(config(Map.of(), Map.of(), Map.of()));
    assertThat(p).containsEntry("group.id", "workers").containsEntry("enable.auto.commit", "false")
        .containsEntry("auto.offset.reset", "earliest").containsEntry("fetch.min.bytes", "1")
        .containsEntry("fetch.max.wait.ms", "500").containsEntry("max.poll.records", "500")
        .containsEntry("allow.auto.create.topics", "false")
        .containsEntry("partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
  }

  @Test
  void replyConsumersAreInNoGroup() {
    assertThat(KafkaConsumerSettings.forReplies(config(Map.of(), Map.of(), Map.of())))
        .doesNotContainKey("group.id").containsEntry("enable.auto.commit", "false");
  }

  @Test
  void propertiesForOneKindOfClientWinOverThoseForAllWhichWinOverTheChosenOnes() {
    KafkaQueueConfig c = config(Map.of("linger.ms", "5", "max.poll.records", "10", "security.protocol", "SSL"),
        Map.of("linger.ms", "7"), Map.of("max.poll.records", "20"));
    assertThat(KafkaProducerSettings.of(c)).containsEntry("linger.ms", "7").containsEntry("security.protocol", "SSL");
    assertThat(KafkaConsumerSettings.forWorkers(c)).containsEntry("max.poll.records", "20")
        .containsEntry("security.protocol", "SSL").containsEntry("linger.ms", "5");
  }

  @Test
  void configPrintsNoSecretValue() {
    KafkaQueueConfig c = config(Map.of("sasl.jaas.config", "password=\"s3cr3t\""), Map.of(), Map.of());
    assertThat(c.toString()).contains("sasl.jaas.config=[redacted]").doesNotContain("s3cr3t");
  }
}
