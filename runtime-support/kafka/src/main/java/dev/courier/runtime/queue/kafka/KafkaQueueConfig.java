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
 * @param brokerTimeout how long one admin or metadata operation waits for the brokers
 * @param deliveryTimeout how long the producer tries to deliver one record ({@code delivery.timeout.ms})
 * @param replicationFactor replicas of the topics the queue creates; 0 for {@code min(3, brokers)}
 * @param minInSyncReplicas {@code min.insync.replicas} of the topics it creates; 0 for {@code
 *     replicationFactor - 1}, at least 1
 * @param replyTopic the shared, pre-created reply topic; {@code null} for a topic per client
 * @param replyPartition the partition of {@code replyTopic} this instance reads; -1 for all of them
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
    Duration brokerTimeout,
    Duration deliveryTimeout,
    int replicationFactor,
    int minInSyncReplicas,
    String replyTopic,
    int replyPartition,
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
        + ", commitInterval=" + commitInterval + ", brokerTimeout=" + brokerTimeout
        + ", deliveryTimeout=" + deliveryTimeout
        + ", replicationFactor=" + (replicationFactor == 0 ? "min(3, brokers)" : replicationFactor)
        + ", minInSyncReplicas=" + (minInSyncReplicas == 0 ? "replicationFactor - 1" : minInSyncReplicas)
        + ", replyTopic=" + (replyTopic == null ? "one per client" : replyTopic + (replyPartition < 0 ? ""
            : ", replyPartition=" + replyPartition))
        + ", properties=" + Secrets.toString(properties)
        + ", producerProperties=" + Secrets.toString(producerProperties)
        + ", consumerProperties=" + Secrets.toString(consumerProperties) + '}';
  }
}
