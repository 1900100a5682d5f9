package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.tls.Secrets;
import java.time.Duration;
import java.util.Map;

/**
 * The settings of one {@link KafkaQueue}, frozen by {@link KafkaQueue.Builder#build()}: the mutable
 * builder never reaches the running queue. Immutable. The defaults are documented on the builder.
 *
 * @param bootstrapServers the brokers, {@code host:port[,host:port...]}; {@code null} only while a
 *     builder is printed before it has them
 * @param topicPrefix prepended to every topic name; may be empty
 * @param clientId Kafka {@code client.id}, also part of reply topic names
 * @param groupId the consumer group of the workers
 * @param deadLetterSuffix appended to a request topic to name its dead-letter topic
 * @param partitions partitions of the request and dead-letter topics the queue creates
 * @param maxDeliveryAttempts the transport's default for workers
 * @param commitInterval how often a worker commits the offsets of answered requests
 * @param properties Kafka properties for producer, consumers and admin client
 * @param producerProperties Kafka properties for the producer only
 * @param consumerProperties Kafka properties for the consumers only
 */
record KafkaQueueConfig(
    String bootstrapServers,
    String topicPrefix,
    String clientId,
    String groupId,
    String deadLetterSuffix,
    int partitions,
    int maxDeliveryAttempts,
    Duration commitInterval,
    Map<String, String> properties,
    Map<String, String> producerProperties,
    Map<String, String> consumerProperties) {

  KafkaQueueConfig {
    properties = Map.copyOf(properties);
    producerProperties = Map.copyOf(producerProperties);
    consumerProperties = Map.copyOf(consumerProperties);
  }

  /**
   * The settings; the values of secret properties ({@code sasl.jaas.config}, {@code
   * ssl.key.password}, {@code ssl.keystore.password}, ... see {@link Secrets}) are redacted.
   */
  @Override
  public String toString() {
    return "{bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix + ", clientId=" + clientId
        + ", groupId=" + groupId + ", partitions=" + partitions + ", maxDeliveryAttempts=" + maxDeliveryAttempts
        + ", commitInterval=" + commitInterval
        + ", properties=" + Secrets.toString(properties)
        + ", producerProperties=" + Secrets.toString(producerProperties)
        + ", consumerProperties=" + Secrets.toString(consumerProperties) + '}';
  }
}
