package dev.courier.runtime.queue;

/**
 * A request handed by a {@link QueueTransport} to a worker. The worker calls {@link #complete()}
 * once it is done with the message (its reply published, or the message dead-lettered); only then
 * may the transport forget it (on Kafka: commit its offset). A delivery never completed is
 * delivered again after the subscription is aborted or the worker dies.
 *
 * <p>Implementations are thread-safe: {@link #complete()} may be called from any thread, at most
 * once per delivery (further calls are ignored).
 */
public interface QueueDelivery {
  /** The full gRPC method name of the queue the message came from. */
  String method();

  /** The message. */
  QueueMessage message();

  /** Acknowledges the message. */
  void complete();
}
