package dev.courier.runtime.queue;

import java.time.Duration;

/** A worker's subscription to request queues, from {@link QueueTransport#subscribe}. Thread-safe. */
public interface QueueSubscription {
  /**
   * Stops taking new messages, waits up to {@code timeout} for every delivery handed out to be
   * {@linkplain QueueDelivery#complete() completed}, acknowledges them (on Kafka: commits) and
   * releases the subscription. Deliveries not completed in time are delivered again later.
   */
  void close(Duration timeout);

  /**
   * Stops at once, like a process that dies: acknowledges nothing more, so every delivery not yet
   * acknowledged is delivered again to another subscriber.
   */
  void abort();
}
