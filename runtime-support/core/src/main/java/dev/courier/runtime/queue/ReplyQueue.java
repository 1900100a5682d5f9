package dev.courier.runtime.queue;

/**
 * The reply queue of one client, opened with {@link QueueTransport#openReplyQueue}. Thread-safe.
 */
public interface ReplyQueue extends AutoCloseable {
  /** The address workers publish replies to; goes into the {@link QueueHeaders#REPLY_TO} header. */
  String address();

  /** Stops delivering replies and releases the queue (on Kafka: deletes the reply topic). */
  @Override
  void close();
}
