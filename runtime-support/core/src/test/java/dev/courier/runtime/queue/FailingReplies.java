package dev.courier.runtime.queue;

import dev.courier.runtime.CourierException;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A transport that passes everything to a real one, except that while {@link #fail} is on, every
 * reply publish fails with {@code UNAVAILABLE} (as a broker that cannot take the reply topic's
 * records would), on the calling thread or, for the callback variant, on a thread of its own, as
 * a Kafka producer reports a failed send from its callback thread. While {@link #holdRequests} is
 * on, request publishes are kept, neither published nor failed (as a producer keeps the records it
 * cannot deliver yet), until it is turned off, which publishes them.
 */
public final class FailingReplies implements QueueTransport {
  private final QueueTransport delegate;
  private final AtomicInteger failures = new AtomicInteger();
  private volatile boolean failing;
  private final java.util.List<Runnable> held = new java.util.ArrayList<>();
  private boolean holding;

  public FailingReplies(QueueTransport delegate) {
    this.delegate = delegate;
  }

  /** Starts or stops failing reply publishes. */
  public void fail(boolean failing) {
    this.failing = failing;
  }

  /** Starts keeping request publishes, or publishes those kept and stops keeping them. */
  public void holdRequests(boolean hold) {
    java.util.List<Runnable> release;
    synchronized (held) {
      holding = hold;
      release = hold ? java.util.List.of() : java.util.List.copyOf(held);
      if (!hold) {
        held.clear();
      }
    }
    release.forEach(Runnable::run);
  }

  /** How many request publishes are kept now. */
  public int heldRequests() {
    synchronized (held) {
      return held.size();
    }
  }

  /** How many reply publishes have failed so far. */
  public int failures() {
    return failures.get();
  }

  private CourierException failure() {
    failures.incrementAndGet();
    return CourierException.of(Status.Code.UNAVAILABLE, "reply topic refused (injected by the test)");
  }

  @Override
  public CompletableFuture<Void> publishReply(String address, QueueMessage message) {
    return failing ? CompletableFuture.failedFuture(failure()) : delegate.publishReply(address, message);
  }

  @Override
  public void publishReply(String address, QueueMessage message, Runnable onPublished,
      Consumer<Throwable> onFailed) {
    if (failing) {
      CourierException error = failure();
      CompletableFuture.runAsync(() -> onFailed.accept(error));
    } else {
      delegate.publishReply(address, message, onPublished, onFailed);
    }
  }

  @Override
  public CompletableFuture<Void> publishRequest(String method, QueueMessage message) {
    return delegate.publishRequest(method, message);
  }

  @Override
  public void publishRequest(String method, QueueMessage message, Runnable onPublished,
      Consumer<Throwable> onFailed) {
    synchronized (held) {
      if (holding) {
        held.add(() -> delegate.publishRequest(method, message, onPublished, onFailed));
        return;
      }
    }
    delegate.publishRequest(method, message, onPublished, onFailed);
  }

  @Override
  public CompletableFuture<Void> publishDeadLetter(String method, QueueMessage message) {
    return delegate.publishDeadLetter(method, message);
  }

  @Override
  public ReplyQueue openReplyQueue(Consumer<QueueMessage> listener) {
    return delegate.openReplyQueue(listener);
  }

  @Override
  public QueueSubscription subscribe(Set<String> methods, int maxInFlight, Consumer<QueueDelivery> handler) {
    return delegate.subscribe(methods, maxInFlight, handler);
  }

  @Override
  public int maxDeliveryAttempts() {
    return delegate.maxDeliveryAttempts();
  }

  /** Leaves the real transport open: the test closes it. */
  @Override
  public void close() {}
}
