package dev.courier.runtime.client;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one unary call: cancelling it cancels the call's attempts in flight. Thread-safe,
 * as {@link CompletableFuture} is.
 */
final class CallFuture<T> extends CompletableFuture<T> {
  private final UnaryCall<?, T> call;

  CallFuture(UnaryCall<?, T> call) {
    this.call = call;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelledNow = super.cancel(mayInterruptIfRunning);
    if (cancelledNow) {
      call.cancel("future cancelled");
    }
    return cancelledNow;
  }
}
