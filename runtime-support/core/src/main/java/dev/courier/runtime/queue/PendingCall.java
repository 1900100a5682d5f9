package dev.courier.runtime.queue;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * A queue call waiting for its reply: completes the caller's future from the reply (the response,
 * or the worker's status as a {@link CourierException}) or with a failure, and holds the call's
 * timeout timer, whose task it is itself (no lambda per call). The future completes once; later
 * attempts are ignored. Thread-safe.
 */
final class PendingCall implements Runnable {
  private final RpcMethod<?, ?> method;
  private final CompletableFuture<?> result;
  private final Duration timeout;
  private final long number;
  private final LongConsumer onTimeout;
  private volatile TimeoutWheel.Timeout timer;

  /**
   * @param number the call's number, for {@code onTimeout}
   * @param onTimeout what {@link #run()} (the timeout timer's task) does with the call's number
   */
  PendingCall(RpcMethod<?, ?> method, CompletableFuture<?> result, Duration timeout, long number,
      LongConsumer onTimeout) {
    this.method = method;
    this.result = result;
    this.timeout = timeout;
    this.number = number;
    this.onTimeout = onTimeout;
  }

  /** The timeout timer's task: the call's time is up. */
  @Override
  public void run() {
    onTimeout.accept(number);
  }

  RpcMethod<?, ?> method() {
    return method;
  }

  Duration timeout() {
    return timeout;
  }

  /** The call's timeout timer, set once it is scheduled. */
  void timer(TimeoutWheel.Timeout timer) {
    this.timer = timer;
  }

  void cancelTimer() {
    timer.cancel();
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
