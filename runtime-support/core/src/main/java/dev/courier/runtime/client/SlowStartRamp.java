package dev.courier.runtime.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The slow-start ramp of one endpoint: its share of picks ({@link
 * dev.courier.runtime.balance.Node#admission()}) is {@link PassiveHealth#SLOW_START_FLOOR} when the
 * ramp starts and grows linearly to 1 over the window; 1 when no ramp runs. A zero window never
 * ramps. Thread-safe, lock-free; reads the clock only while it ramps.
 */
final class SlowStartRamp {
  private static final long NONE = Long.MIN_VALUE;

  private final LongSupplier nanoClock;
  private final long windowNanos;
  private final AtomicLong startedAt = new AtomicLong(NONE);

  SlowStartRamp(LongSupplier nanoClock, long windowNanos) {
    this.nanoClock = nanoClock;
    this.windowNanos = windowNanos;
  }

  /** Starts (or restarts) the ramp at {@code now}. */
  void start(long now) {
    if (windowNanos > 0) {
      startedAt.set(now);
    }
  }

  /** Ends the ramp (an ejection: the next recovery starts a new one). */
  void stop() {
    startedAt.set(NONE);
  }

  /** The share of a full turn now, in {@code [SLOW_START_FLOOR, 1]}; once the window is over, 1 for good. */
  double admission() {
    long start = startedAt.get();
    if (start == NONE) {
      return 1.0;
    }
    long elapsed = nanoClock.getAsLong() - start;
    if (elapsed >= windowNanos) {
      startedAt.compareAndSet(start, NONE);
      return 1.0;
    }
    double floor = PassiveHealth.SLOW_START_FLOOR;
    return floor + (1.0 - floor) * Math.max(elapsed, 0) / windowNanos;
  }

  /** Whether the ramp runs now. */
  boolean ramping() {
    return startedAt.get() != NONE && admission() < 1.0;
  }
}
