package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A blocking caller's wait on an injected clock: it ends the call itself at the deadline on that
 * clock, on its own thread, and not before, whatever the real time its waits took.
 */
class BlockingWaitTest {
  private static final long MS = 1_000_000L;

  /** A clock that gives the readings it was given, one per read, then repeats the last. */
  private static LongSupplier readings(long... nanos) {
    AtomicInteger next = new AtomicInteger();
    return () -> nanos[Math.min(next.getAndIncrement(), nanos.length - 1)];
  }

  @Test
  void theCallerFailsTheCallItselfWhenItsWaitEndsAtTheDeadline() throws Exception {
    CompletableFuture<String> future = new CompletableFuture<>();
    List<Thread> expiredOn = new ArrayList<>();
    Runnable expire = () -> {
      expiredOn.add(Thread.currentThread());
      future.completeExceptionally(new IllegalStateException("deadline"));
    };

    // First read: 1 ms left, so one wait of 1 ms; second read: the deadline.
    assertThatThrownBy(() -> BlockingWait.await(future, readings(9 * MS, 10 * MS), 10 * MS, expire))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage("deadline");
    assertThat(expiredOn).containsExactly(Thread.currentThread());
  }

  @Test
  void aWaitThatEndsBeforeTheDeadlineOnTheClientsClockWaitsAgain() throws Exception {
    CompletableFuture<String> future = new CompletableFuture<>();
    AtomicInteger expired = new AtomicInteger();
    // The clock stands still for two waits of 1 ms each, then reaches the deadline.
    LongSupplier clock = readings(9 * MS, 9 * MS, 9 * MS, 10 * MS);
    AtomicInteger reads = new AtomicInteger();
    LongSupplier counted = () -> {
      reads.incrementAndGet();
      return clock.getAsLong();
    };

    assertThatThrownBy(() -> BlockingWait.await(future, counted, 10 * MS, () -> {
      expired.incrementAndGet();
      future.cancel(false);
    })).isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(reads).hasValue(4);
    assertThat(expired).hasValue(1);
  }

  @Test
  void anAnswerDuringTheWaitIsReturnedAndNothingExpires() throws Exception {
    CompletableFuture<String> future = new CompletableFuture<>();
    CountDownLatch waiting = new CountDownLatch(1);
    LongSupplier clock = () -> {
      waiting.countDown();
      return 0;
    };
    Thread answer = new Thread(() -> {
      try {
        waiting.await();
      } catch (InterruptedException e) {
        return;
      }
      future.complete("answer");
    });
    answer.start();

    String value = BlockingWait.await(future, clock, TimeUnit.SECONDS.toNanos(30), () -> {
      throw new AssertionError("expired before its deadline");
    });
    answer.join();
    assertThat(value).isEqualTo("answer");
  }

  @Test
  void aCallAlreadyPastItsDeadlineExpiresWithoutWaiting() throws Exception {
    CompletableFuture<String> future = new CompletableFuture<>();
    String value = BlockingWait.await(future, () -> 10 * MS, 10 * MS, () -> future.complete("expired"));
    assertThat(value).isEqualTo("expired");
  }
}
