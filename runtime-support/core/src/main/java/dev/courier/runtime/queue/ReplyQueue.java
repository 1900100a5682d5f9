package dev.courier.runtime.queue;

/**
 * The reply queue of one client, opened with {@link QueueTransport#openReplyQueue}. Thread-safe.
 */
public interface ReplyQueue extends AutoCloseable {
  /** The address workers publish replies to; travels in each request's envelope ({@link QueueMessage#replyTo()}). */
  String address();

  /** Stops delivering replies and releases the queue (on Kafka: deletes the reply topic). */
  @Override
  void close();
}
