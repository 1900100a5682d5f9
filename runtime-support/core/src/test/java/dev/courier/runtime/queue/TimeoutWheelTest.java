package dev.courier.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Call timeouts: never early, soon after the deadline, never after a cancel or close. */
class TimeoutWheelTest {
  @Test
  void aTimeoutRunsAfterItsDeadlineAndSoonAfter() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel", 10, TimeUnit.MILLISECONDS, 64)) {
      // One tick late at most, plus a slow machine.
      assertThat(millisUntilRun(wheel, 80)).isBetween(80L, 80L + 500L);
    }
  }

  @Test
  void aCancelledTimeoutNeverRunsWhileOthersDo() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel", 5, TimeUnit.MILLISECONDS, 64)) {
      AtomicInteger cancelledRuns = new AtomicInteger();
      CountDownLatch control = new CountDownLatch(1);
      TimeoutWheel.Timeout cancelled = wheel.schedule(cancelledRuns::incrementAndGet, 30, TimeUnit.MILLISECONDS);
      wheel.schedule(control::countDown, 60, TimeUnit.MILLISECONDS);
      cancelled.cancel();

      assertThat(control.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(cancelledRuns).hasValue(0);
    }
  }

  @Test
  void aTimeoutLongerThanOneRevolutionWaitsItsRounds() throws InterruptedException {
    // 8 ticks of 2 ms: a revolution is 16 ms, the timeout 100 ms, about six revolutions.
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel", 2, TimeUnit.MILLISECONDS, 8)) {
      assertThat(millisUntilRun(wheel, 100)).isGreaterThanOrEqualTo(100);
    }
  }

  @Test
  void everyOneOfManyTimeoutsRunsOnceAndNoneEarly() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel", 1, TimeUnit.MILLISECONDS, 16)) {
      int n = 2_000;
      CountDownLatch ran = new CountDownLatch(n);
      AtomicInteger early = new AtomicInteger();
      AtomicInteger runs = new AtomicInteger();
      Random random = new Random(42);
      for (int i = 0; i < n; i++) {
        long delayMicros = random.nextInt(150_000);
        long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(delayMicros);
        wheel.schedule(() -> {
          if (System.nanoTime() < deadline) {
            early.incrementAndGet();
          }
          runs.incrementAndGet();
          ran.countDown();
        }, delayMicros, TimeUnit.MICROSECONDS);
      }

      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(50);
      assertThat(runs).hasValue(n);
      assertThat(early).hasValue(0);
    }
  }

  @Test
  void anIdleWheelWakesForANewTimeout() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel", 5, TimeUnit.MILLISECONDS, 64)) {
      assertThat(millisUntilRun(wheel, 10)).isGreaterThanOrEqualTo(10);
      Thread.sleep(200); // nothing held: the wheel thread sleeps

      assertThat(millisUntilRun(wheel, 20)).isGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void aTimeoutOfCenturiesDoesNotOverflowIntoThePast() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel", 5, TimeUnit.MILLISECONDS, 64)) {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch control = new CountDownLatch(1);
      wheel.schedule(runs::incrementAndGet, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
      wheel.schedule(runs::incrementAndGet, 300 * 365, TimeUnit.DAYS);
      wheel.schedule(control::countDown, 50, TimeUnit.MILLISECONDS);

      assertThat(control.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(50);
      assertThat(runs).hasValue(0);
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheWheel() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel", 5, TimeUnit.MILLISECONDS, 64)) {
      CountDownLatch after = new CountDownLatch(1);
      wheel.schedule(() -> {
        throw new IllegalStateException("boom");
      }, 5, TimeUnit.MILLISECONDS);
      wheel.schedule(after::countDown, 40, TimeUnit.MILLISECONDS);

      assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void nothingRunsAfterClose() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    TimeoutWheel wheel = new TimeoutWheel("test-wheel", 5, TimeUnit.MILLISECONDS, 64);
    wheel.schedule(runs::incrementAndGet, 50, TimeUnit.MILLISECONDS);
    wheel.close();
    Thread.sleep(150);
    assertThat(runs).hasValue(0);
  }

  /** Schedules a timeout of {@code delayMs} and returns how long after scheduling it ran. */
  private static long millisUntilRun(TimeoutWheel wheel, long delayMs) throws InterruptedException {
    AtomicLong ranAt = new AtomicLong();
    CountDownLatch ran = new CountDownLatch(1);
    long scheduledAt = System.nanoTime();
    wheel.schedule(() -> {
      ranAt.set(System.nanoTime());
      ran.countDown();
    }, delayMs, TimeUnit.MILLISECONDS);
    assertThat(ran.await(5, TimeUnit.SECONDS)).as("ran within 5 s").isTrue();
    return TimeUnit.NANOSECONDS.toMillis(ranAt.get() - scheduledAt);
  }

  @Test
  void badShapesAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new TimeoutWheel("test-wheel", 10, TimeUnit.MILLISECONDS, 100))
        .withMessageContaining("power of two");
  }
}
