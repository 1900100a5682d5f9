package dev.courier.runtime.queue.kafka;

/**
 * Where a worker publishes a reply, as it travels in a request's envelope (its reply address): a
 * client's own reply topic is its bare name ({@code courier.reply.shop.1f3a...}); the shared reply
 * topic is {@code <topic>:<partition>} for a client that reads one partition of it, or {@code
 * <topic>:*} for one that reads all of them and picks its replies by call id. Kafka topic
 * names cannot hold {@code ':'}, so the forms cannot be confused. The partition rides in this
 * address rather than in a header of its own (as Spring's {@code ReplyingKafkaTemplate} does with
 * {@code kafka_replyPartition}) because every header is paid for on every request. Immutable.
 *
 * @param topic the reply topic
 * @param partition the partition to publish to; -1 for any (the producer's partitioner picks)
 * @param shared whether the topic is the pre-created shared one, which Courier never creates
 */
record ReplyAddress(String topic, int partition, boolean shared) {
  private static final String ANY = "*";

  /** A client's own topic, with one partition. */
  static ReplyAddress own(String topic) {
    return new ReplyAddress(topic, 0, false);
  }

  /** The shared topic; {@code partition} -1 for a client that reads every partition. */
  static ReplyAddress shared(String topic, int partition) {
    return new ReplyAddress(topic, partition, true);
  }

  /** Reads what {@link #toString()} wrote; a bare name is a client's own topic. */
  static ReplyAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      return own(address);
    }
    String part = address.substring(colon + 1);
    String topic = address.substring(0, colon);
    if (part.equals(ANY)) {
      return shared(topic, -1);
    }
    try {
      return shared(topic, Integer.parseInt(part));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("reply address " + address
          + " (expected: a topic, or <topic>:<partition>, or <topic>:*)", e);
    }
  }

  /** The partition for the producer record: {@code null} lets the producer choose. */
  Integer recordPartition() {
    return shared && partition < 0 ? null : partition;
  }

  @Override
  public String toString() {
    return shared ? topic + ':' + (partition < 0 ? ANY : Integer.toString(partition)) : topic;
  }
}
