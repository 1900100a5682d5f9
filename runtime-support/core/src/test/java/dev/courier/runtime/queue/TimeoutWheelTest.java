package dev.courier.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Call timeouts: never early, on the first tick at or after the deadline, never after a cancel or
 * close. Most tests drive a {@linkplain TimeoutWheel#manual manual wheel} with a fake ticker, so
 * "not yet" and "now" are exact; the last ones check the wheel's own thread.
 */
class TimeoutWheelTest {
  private static final long TICK_MS = 10;

  /** The fake ticker, in nanoseconds; starts far from zero, as {@link System#nanoTime} may. */
  private final AtomicLong now = new AtomicLong(1_234_567_890_123L);

  private TimeoutWheel manualWheel(long tickMs, int ticks) {
    return TimeoutWheel.manual(now::get, tickMs, TimeUnit.MILLISECONDS, ticks);
  }

  /** Moves the ticker by {@code nanos} and runs what is due. */
  private void forward(TimeoutWheel wheel, long nanos) {
    now.addAndGet(nanos);
    wheel.runDueTicks();
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aTimeoutRunsOnTheFirstTickAtOrAfterItsDeadline() {
    try (TimeoutWheel wheel = manualWheel(TICK_MS, 64)) {
      AtomicInteger onTick = new AtomicInteger();
      AtomicInteger betweenTicks = new AtomicInteger();
      wheel.schedule(onTick::incrementAndGet, 80, TimeUnit.MILLISECONDS);
      wheel.schedule(betweenTicks::incrementAndGet, 85, TimeUnit.MILLISECONDS);

      forward(wheel, ms(80) - 1);
      assertThat(onTick).as("1 ns before its deadline").hasValue(0);
      forward(wheel, 1);
      assertThat(onTick).as("at its deadline, a tick").hasValue(1);
      assertThat(betweenTicks).as("5 ms before its deadline").hasValue(0);

      forward(wheel, ms(TICK_MS) - 1);
      assertThat(betweenTicks).as("past its deadline, 1 ns before the next tick").hasValue(0);
      forward(wheel, 1);
      assertThat(betweenTicks).as("on the first tick after its deadline").hasValue(1);
      assertThat(onTick).as("once").hasValue(1);
    }
  }

  @Test
  void aCancelledTimeoutNeverRunsWhileOthersDo() {
    try (TimeoutWheel wheel = manualWheel(5, 64)) {
      AtomicInteger cancelledRuns = new AtomicInteger();
      AtomicInteger otherRuns = new AtomicInteger();
      TimeoutWheel.Timeout cancelled = wheel.schedule(cancelledRuns::incrementAndGet, 30, TimeUnit.MILLISECONDS);
      wheel.schedule(otherRuns::incrementAndGet, 30, TimeUnit.MILLISECONDS);
      forward(wheel, ms(10));
      cancelled.cancel();

      forward(wheel, ms(20));
      assertThat(otherRuns).hasValue(1);
      forward(wheel, ms(5 * 64 * 3)); // three revolutions: its bucket comes round again
      assertThat(cancelledRuns).hasValue(0);
    }
  }

  @Test
  void aCancelBeforeTheWheelFilesItAlsoHolds() {
    try (TimeoutWheel wheel = manualWheel(5, 64)) {
      AtomicInteger runs = new AtomicInteger();
      wheel.schedule(runs::incrementAndGet, 0, TimeUnit.MILLISECONDS).cancel();

      forward(wheel, ms(100));
      assertThat(runs).hasValue(0);
    }
  }

  @Test
  void aTimeoutLongerThanOneRevolutionWaitsItsRounds() {
    // 8 ticks of 2 ms: a revolution is 16 ms, the timeout 100 ms, about six revolutions.
    try (TimeoutWheel wheel = manualWheel(2, 8)) {
      AtomicInteger runs = new AtomicInteger();
      wheel.schedule(runs::incrementAndGet, 100, TimeUnit.MILLISECONDS);

      for (int step = 0; step < 99; step++) {
        forward(wheel, ms(1));
        assertThat(runs).as("after %s ms", step + 1).hasValue(0);
      }
      forward(wheel, ms(1));
      assertThat(runs).as("after 100 ms").hasValue(1);
    }
  }

  @Test
  void everyOneOfManyTimeoutsRunsOnceOnItsTick() {
    long tickNanos = ms(1);
    try (TimeoutWheel wheel = manualWheel(1, 16)) {
      int n = 2_000;
      long[] deadlines = new long[n];
      long[] ranAt = new long[n];
      AtomicInteger[] runs = new AtomicInteger[n];
      Random random = new Random(42);
      for (int i = 0; i < n; i++) {
        long delayMicros = random.nextInt(150_000);
        deadlines[i] = now.get() + TimeUnit.MICROSECONDS.toNanos(delayMicros);
        runs[i] = new AtomicInteger();
        int id = i;
        wheel.schedule(() -> {
          ranAt[id] = now.get();
          runs[id].incrementAndGet();
        }, delayMicros, TimeUnit.MICROSECONDS);
        if (i % 100 == 99) {
          forward(wheel, TimeUnit.MICROSECONDS.toNanos(300)); // scheduled while it turns
        }
      }

      for (int step = 0; step < 400; step++) {
        forward(wheel, TimeUnit.MICROSECONDS.toNanos(500)); // half a tick at a time
      }

      for (int i = 0; i < n; i++) {
        assertThat(runs[i]).as("runs of timeout %s", i).hasValue(1);
        assertThat(ranAt[i]).as("timeout %s ran at or after its deadline", i).isGreaterThanOrEqualTo(deadlines[i]);
        // The first tick after the deadline is at most one tick later, seen half a tick late.
        assertThat(ranAt[i] - deadlines[i]).as("timeout %s lateness", i).isLessThan(tickNanos + tickNanos / 2);
      }
    }
  }

  @Test
  void anIdleWheelSkipsTheTicksItSleptThroughButRunsNothingEarly() {
    try (TimeoutWheel wheel = manualWheel(5, 64)) {
      AtomicInteger first = new AtomicInteger();
      wheel.schedule(first::incrementAndGet, 10, TimeUnit.MILLISECONDS);
      forward(wheel, ms(10));
      assertThat(first).hasValue(1);

      now.addAndGet(ms(5 * 64 * 1000)); // a thousand revolutions with nothing held
      AtomicInteger second = new AtomicInteger();
      wheel.schedule(second::incrementAndGet, 20, TimeUnit.MILLISECONDS);
      forward(wheel, ms(20) - 1);
      assertThat(second).hasValue(0);
      forward(wheel, 1);
      assertThat(second).hasValue(1);
    }
  }

  @Test
  void aTimeoutOfCenturiesDoesNotOverflowIntoThePast() {
    try (TimeoutWheel wheel = manualWheel(5, 64)) {
      AtomicInteger runs = new AtomicInteger();
      AtomicInteger control = new AtomicInteger();
      wheel.schedule(runs::incrementAndGet, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
      wheel.schedule(runs::incrementAndGet, 300 * 365, TimeUnit.DAYS);
      wheel.schedule(control::incrementAndGet, 50, TimeUnit.MILLISECONDS);

      for (int minute = 0; minute < 60; minute++) {
        forward(wheel, TimeUnit.MINUTES.toNanos(1));
      }
      assertThat(control).hasValue(1);
      assertThat(runs).as("runs within the first hour").hasValue(0);
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheWheel() {
    try (TimeoutWheel wheel = manualWheel(5, 64)) {
      AtomicInteger after = new AtomicInteger();
      wheel.schedule(() -> {
        throw new IllegalStateException("boom");
      }, 5, TimeUnit.MILLISECONDS);
      wheel.schedule(after::incrementAndGet, 5, TimeUnit.MILLISECONDS);
      wheel.schedule(after::incrementAndGet, 40, TimeUnit.MILLISECONDS);

      forward(wheel, ms(40));
      assertThat(after).hasValue(2);
    }
  }

  @Test
  void nothingRunsAfterClose() {
    AtomicInteger runs = new AtomicInteger();
    TimeoutWheel wheel = manualWheel(5, 64);
    wheel.schedule(runs::incrementAndGet, 50, TimeUnit.MILLISECONDS);
    forward(wheel, ms(25));
    wheel.close();

    forward(wheel, ms(150));
    assertThat(runs).hasValue(0);
  }

  @Test
  void aWheelWithAThreadIsNotTickedByHand() {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel-threaded", 5, TimeUnit.MILLISECONDS, 64)) {
      assertThatIllegalStateException().isThrownBy(wheel::runDueTicks).withMessageContaining("manual wheel");
    }
  }

  @Test
  void theWheelThreadRunsATimeoutNoEarlierThanItsDelay() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel-threaded", TICK_MS, TimeUnit.MILLISECONDS, 64)) {
      assertThat(nanosUntilRun(wheel, 80)).isGreaterThanOrEqualTo(ms(80));
    }
  }

  @Test
  void theWheelThreadSleepsWhenIdleAndWakesForANewTimeout() throws InterruptedException {
    try (TimeoutWheel wheel = new TimeoutWheel("test-wheel-threaded", 5, TimeUnit.MILLISECONDS, 64)) {
      assertThat(nanosUntilRun(wheel, 10)).isGreaterThanOrEqualTo(ms(10));
      awaitIdle(wheel);

      assertThat(nanosUntilRun(wheel, 20)).isGreaterThanOrEqualTo(ms(20));
    }
  }

  @Test
  void closeStopsTheWheelThreadWithATimeoutPending() {
    String name = "test-wheel-closed-" + System.nanoTime();
    AtomicInteger runs = new AtomicInteger();
    TimeoutWheel wheel = new TimeoutWheel(name, 5, TimeUnit.MILLISECONDS, 64);
    wheel.schedule(runs::incrementAndGet, 50, TimeUnit.MILLISECONDS);
    wheel.close();

    // close() joined the thread: with no thread left, nothing can run later.
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(name));
    assertThat(runs).hasValue(0);
  }

  @Test
  void badShapesAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new TimeoutWheel("test-wheel", 10, TimeUnit.MILLISECONDS, 100))
        .withMessageContaining("power of two");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TimeoutWheel.manual(() -> 0L, 0, TimeUnit.MILLISECONDS, 64))
        .withMessageContaining("tick > 0");
  }

  /** Schedules a timeout of {@code delayMs} on the real wheel and returns how long after scheduling it ran. */
  private static long nanosUntilRun(TimeoutWheel wheel, long delayMs) throws InterruptedException {
    AtomicLong ranAt = new AtomicLong();
    CountDownLatch ran = new CountDownLatch(1);
    long scheduledAt = System.nanoTime();
    wheel.schedule(() -> {
      ranAt.set(System.nanoTime());
      ran.countDown();
    }, delayMs, TimeUnit.MILLISECONDS);
    assertThat(ran.await(10, TimeUnit.SECONDS)).as("ran within 10 s").isTrue();
    return ranAt.get() - scheduledAt;
  }

  /** Waits (at most 10 s) until the wheel thread has parked with nothing held. */
  private static void awaitIdle(TimeoutWheel wheel) {
    TestMethods.await("the wheel thread to sleep", Duration.ofSeconds(10), wheel::idle);
  }
}
