package dev.courier.runtime.queue;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import io.grpc.Status;
import java.time.Duration;
import dev.courier.runtime.observe.QueueCallTrace;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A queue call waiting for its reply: completes the caller's future from the reply (the response,
 * or the worker's status as a {@link CourierException}) or with a failure. It is also what the
 * transport calls back when the request is published ({@link #run()}) or could not be ({@link
 * #accept}), and it holds the call's timeout timer, a wheel entry that is its own task: two objects
 * per call where lambdas made four. The future completes once; later attempts are ignored.
 * Thread-safe.
 */
final class PendingCall implements Runnable, Consumer<Throwable> {
  /** What the client does when a call's request is published, is refused, or times out. */
  interface Owner {
    void published(PendingCall call);

    void publishFailed(PendingCall call, Throwable error);

    void timedOut(long number);
  }

  private final RpcMethod<?, ?> method;
  private final CompletableFuture<?> result;
  private final Duration timeout;
  private final long number;
  private final QueueCallTrace trace;
  private final Owner owner;
  private final Expiry timer;

  /**
   * @param number the call's number among the client's calls
   * @param trace the call's trace; {@link QueueCallTrace#NONE} when not traced
   */
  PendingCall(RpcMethod<?, ?> method, CompletableFuture<?> result, Duration timeout, long number,
      QueueCallTrace trace, Owner owner) {
    this.method = method;
    this.result = result;
    this.timeout = timeout;
    this.number = number;
    this.trace = trace;
    this.owner = owner;
    this.timer = new Expiry(owner, number);
  }

  /** The request was published. */
  @Override
  public void run() {
    owner.published(this);
  }

  /** The request could not be published. */
  @Override
  public void accept(Throwable error) {
    owner.publishFailed(this, error);
  }

  RpcMethod<?, ?> method() {
    return method;
  }

  Duration timeout() {
    return timeout;
  }

  long number() {
    return number;
  }

  QueueCallTrace trace() {
    return trace;
  }

  /** Starts the call's timeout timer on {@code wheel}. */
  void startTimer(TimeoutWheel wheel) {
    wheel.schedule(timer, timer, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  void cancelTimer() {
    timer.cancel();
  }

  /**
   * The timeout timer: a wheel entry and its own task. It holds only the owner and the number, not
   * the call, since the wheel may keep a cancelled entry for up to one revolution.
   */
  private static final class Expiry extends TimeoutWheel.Entry implements Runnable {
    private final Owner owner;
    private final long number;

    Expiry(Owner owner, long number) {
      this.owner = owner;
      this.number = number;
    }

    @Override
    public void run() {
      owner.timedOut(number);
    }
  }

  void fail(Throwable error) {
    result.completeExceptionally(error);
  }

  /** Completes the call from {@code reply}: a status other than OK means the worker failed it. */
  @SuppressWarnings("unchecked")
  void complete(QueueMessage reply) {
    complete((RpcMethod<Object, Object>) method, (CompletableFuture<Object>) result, reply);
  }

  private static <RespT> void complete(
      RpcMethod<?, RespT> method, CompletableFuture<RespT> result, QueueMessage reply) {
    if (reply.status() != Status.Code.OK.value()) {
      result.completeExceptionally(CourierException.of(
          Status.fromCodeValue(reply.status()).withDescription(reply.statusMessage()), null));
      return;
    }
    try {
      result.complete(MessageCodec.decode(method.descriptor().getResponseMarshaller(), reply.body()));
    } catch (RuntimeException e) {
      result.completeExceptionally(CourierException.of(Status.INTERNAL
          .withDescription("reply for " + method.fullName() + " could not be decoded: " + e.getMessage())
          .withCause(e), null));
    }
  }
}
