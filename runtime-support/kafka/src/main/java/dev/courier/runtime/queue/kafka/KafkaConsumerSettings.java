package dev.courier.runtime.queue.kafka;

import java.time.Duration;
import java.util.Properties;

/**
 * The properties of a {@link KafkaQueue}'s consumers: the settings chosen for workers (the
 * package documentation says why each), then the properties for every client, then those for the
 * consumers only, each winning over what came before. Stateless.
 */
final class KafkaConsumerSettings {
  private KafkaConsumerSettings() {}

  /** For a worker's subscription: in the workers' consumer group, committing by hand. */
  static Properties forWorkers(KafkaQueueConfig config) {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers());
    p.put("client.id", config.clientId());
    p.put("group.id", config.groupId());
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("fetch.min.bytes", "1");
    p.put("fetch.max.wait.ms", "500");
    p.put("max.poll.records", "500");
    p.put("allow.auto.create.topics", "false");
    p.put("partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    // How long a blocking consumer call (position, a synchronous commit) waits: not Kafka's 60 s.
    p.put("default.api.timeout.ms", Long.toString(config.brokerTimeout().toMillis()));
    p.putAll(config.properties());
    p.putAll(config.consumerProperties());
    return p;
  }

  /**
   * How long a worker's handler may hold the consumer thread before another thread takes over
   * polling: a second, or a third of {@code max.poll.interval.ms} (Kafka's default 300 s) when that is
   * less, so the consumer polls again well before the group would drop it.
   */
  static Duration stallTimeout(Properties workerProps) {
    Object maxPoll = workerProps.get("max.poll.interval.ms");
    long maxPollMs = maxPoll == null ? 300_000 : Long.parseLong(maxPoll.toString().trim());
    return Duration.ofMillis(Math.max(1, Math.min(1000, maxPollMs / 3)));
  }

  /** For a client's reply topic: the same, but in no group (the reply queue assigns its partition). */
  static Properties forReplies(KafkaQueueConfig config) {
    Properties p = forWorkers(config);
    p.remove("group.id");
    return p;
  }
}
