package dev.courier.runtime.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * How a blocking caller waits for its call: until the call's deadline at most, read on the
 * client's clock, and then it fails the call itself, on its own thread. The caller sees the
 * failure when its own wait ends, instead of after the scheduler's thread has run the call's
 * timer and then woken the caller: on a busy machine each of those is a wait for a core. A wait
 * that ends before the deadline on the client's clock (a clock that moves otherwise than the
 * system's, as in tests) waits again. Stateless.
 */
final class BlockingWait {
  private BlockingWait() {}

  /**
   * The future's value, waiting until {@code deadlineAt} on {@code clock} at most; then {@code
   * expire} runs on this thread (it must complete the future, or find it completed) and the
   * future's outcome is returned or thrown.
   */
  static <T> T await(CompletableFuture<T> future, LongSupplier clock, long deadlineAt, Runnable expire)
      throws InterruptedException, ExecutionException {
    while (!future.isDone()) {
      long left = deadlineAt - clock.getAsLong();
      if (left <= 0) {
        expire.run();
        break;
      }
      try {
        return future.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // the deadline on the client's clock decides, not the wait's
      }
    }
    return future.get();
  }
}
