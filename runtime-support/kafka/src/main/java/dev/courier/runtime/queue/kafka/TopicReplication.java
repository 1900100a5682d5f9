package dev.courier.runtime.queue.kafka;

import java.util.function.IntSupplier;

/**
 * The replication of the topics a {@link KafkaQueue} creates, decided from its settings and, when
 * they leave it open, the cluster's size: {@code replicationFactor} {@code min(3, brokers)} and
 * {@code min.insync.replicas} one less (at least 1). On three brokers or more that is 3 and 2: a
 * record acknowledged with {@code acks=all} is on two brokers at least, and one broker may die or
 * restart without stopping the topic. A single test broker gets 1 and 1. Immutable.
 *
 * @param factor replicas of each partition
 * @param minInSyncReplicas replicas that must have a record before the producer is told it is written
 */
record TopicReplication(short factor, int minInSyncReplicas) {
  /** What {@code replicationFactor 0} asks for on a cluster of three brokers or more. */
  static final int PRODUCTION_FACTOR = 3;

  /**
   * @param replicationFactor the setting; 0 for {@code min(3, brokers)}
   * @param minInSyncReplicas the setting; 0 for one less than the factor, at least 1
   * @param brokers the cluster's size, asked only when {@code replicationFactor} is 0
   */
  static TopicReplication of(int replicationFactor, int minInSyncReplicas, IntSupplier brokers) {
    int factor = replicationFactor > 0 ? replicationFactor : Math.max(1, Math.min(PRODUCTION_FACTOR,
        brokers.getAsInt()));
    int minIsr = minInSyncReplicas > 0 ? minInSyncReplicas : Math.max(1, factor - 1);
    return new TopicReplication((short) factor, minIsr);
  }
}
