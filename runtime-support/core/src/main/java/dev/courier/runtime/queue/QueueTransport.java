package dev.courier.runtime.queue;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What {@link QueueClientRuntime} and {@link QueueWorkerRuntime} need from a message queue: one
 * request queue per method, a reply queue per client, a dead-letter queue per method, and
 * acknowledged delivery.
 *
 * <p>Implementations: {@code InMemoryQueue} (in {@code queue.memory}) and
 * {@code KafkaQueue} (artifact {@code courier-kafka}). They are thread-safe, and one
 * instance may serve any number of clients and workers. Closing a transport releases its
 * connections; close its clients and workers first.
 */
public interface QueueTransport extends AutoCloseable {
  /**
   * Enqueues a request on the queue of {@code method} (a full gRPC method name). The future
   * completes when the queue has accepted the message durably, or fails with a {@code
   * CourierException} saying why (such as a full queue).
   */
  CompletableFuture<Void> publishRequest(String method, QueueMessage message);

  /** Publishes a reply to the reply queue at {@code address}. */
  CompletableFuture<Void> publishReply(String address, QueueMessage message);

  /** Publishes a message to the dead-letter queue of {@code method}. */
  CompletableFuture<Void> publishDeadLetter(String method, QueueMessage message);

  /**
   * {@link #publishRequest(String, QueueMessage)} for callers whose only work after a successful
   * publish is quick bookkeeping (the queue runtimes). {@code onPublished} may run on a transport
   * I/O thread, so it must be quick and must neither block nor publish; {@code onFailed} gets the
   * failure. The default goes through the future; a transport may override it to skip the
   * hand-off to its callback thread, one thread wake-up per call.
   */
  default void publishRequest(String method, QueueMessage message, Runnable onPublished,
      Consumer<Throwable> onFailed) {
    publishRequest(method, message).whenComplete((ok, error) -> then(error, onPublished, onFailed));
  }

  /** {@link #publishReply(String, QueueMessage)} with callbacks, as for the request variant above. */
  default void publishReply(String address, QueueMessage message, Runnable onPublished,
      Consumer<Throwable> onFailed) {
    publishReply(address, message).whenComplete((ok, error) -> then(error, onPublished, onFailed));
  }

  private static void then(Throwable error, Runnable onPublished, Consumer<Throwable> onFailed) {
    if (error == null) {
      onPublished.run();
    } else {
      onFailed.accept(error);
    }
  }

  /**
   * Opens a reply queue for one client; {@code listener} receives every message published to it,
   * from one transport thread, so it must not block.
   */
  ReplyQueue openReplyQueue(Consumer<QueueMessage> listener);

  /**
   * Starts taking requests from the queues of {@code methods}, competing with other subscribers of
   * the same queues. {@code handler} is called from a transport thread and must not block, unless
   * {@link #survivesBlockingHandler()}; at most
   * {@code maxInFlight} deliveries are handed out and not yet completed at any time.
   */
  QueueSubscription subscribe(Set<String> methods, int maxInFlight, Consumer<QueueDelivery> handler);

  /**
   * Whether the {@code handler} given to {@link #subscribe} may block: the subscription then keeps
   * taking messages (on Kafka: keeps polling, and so its place in the consumer group) when the
   * handler has not returned for a while, by handing its dispatch to a fresh thread. The worker
   * runtime then runs quick calls in the handler itself, on the transport's thread, rather than
   * handing each to one of its lanes. Default false: the handler must not block.
   */
  default boolean survivesBlockingHandler() {
    return false;
  }

  /**
   * The messaging system, as OpenTelemetry's messaging conventions name it ({@code "kafka"}); what
   * a tracing listener records as {@code messaging.system}. Default {@code "courier"}.
   */
  default String system() {
    return "courier";
  }

  /** How many times a worker runs a failing handler before dead-lettering, unless it says. */
  default int maxDeliveryAttempts() {
    return 3;
  }

  /** Releases the transport. */
  @Override
  void close();
}
