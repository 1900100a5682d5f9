package dev.courier.runtime.queue;

import java.util.function.Consumer;

/**
 * How the runtimes publish when all that follows a successful publish is their own quick
 * bookkeeping: acknowledging a delivery once its reply is out, counting a request as sent.
 *
 * <p>On {@link KafkaQueue} that bookkeeping runs right on the producer's I/O thread. Through the
 * transport's futures it would be handed to the transport's callback thread first (the futures'
 * other dependents may block), one more thread wake-up every few calls, which on a small machine
 * costs more than the bookkeeping itself. Other transports go through their futures.
 */
interface Publisher {
  /**
   * Publishes a request. {@code onPublished} may run on a transport I/O thread, so it must be quick
   * and must neither block nor publish; {@code onFailed} gets the failure, off that thread.
   */
  void request(String method, QueueMessage message, Runnable onPublished, Consumer<Throwable> onFailed);

  /** Publishes a reply; the callbacks as for {@link #request}. */
  void reply(String address, QueueMessage message, Runnable onPublished, Consumer<Throwable> onFailed);

  static Publisher of(QueueTransport transport) {
    if (transport instanceof KafkaQueue kafka) {
      return new Publisher() {
        @Override
        public void request(String method, QueueMessage message, Runnable onPublished,
            Consumer<Throwable> onFailed) {
          kafka.publishRequest(method, message, onPublished, onFailed);
        }

        @Override
        public void reply(String address, QueueMessage message, Runnable onPublished,
            Consumer<Throwable> onFailed) {
          kafka.publishReply(address, message, onPublished, onFailed);
        }
      };
    }
    return new Publisher() {
      @Override
      public void request(String method, QueueMessage message, Runnable onPublished,
          Consumer<Throwable> onFailed) {
        transport.publishRequest(method, message).whenComplete((ok, error) -> then(error, onPublished, onFailed));
      }

      @Override
      public void reply(String address, QueueMessage message, Runnable onPublished,
          Consumer<Throwable> onFailed) {
        transport.publishReply(address, message).whenComplete((ok, error) -> then(error, onPublished, onFailed));
      }
    };
  }

  private static void then(Throwable error, Runnable onPublished, Consumer<Throwable> onFailed) {
    if (error == null) {
      onPublished.run();
    } else {
      onFailed.accept(error);
    }
  }
}
