package dev.courier.runtime.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The slow start of one endpoint: its share of picks ({@link
 * dev.courier.runtime.balance.Node#admission()}) is {@link PassiveHealth#SLOW_START_FLOOR} when the
 * ramp starts and grows linearly to 1 over the window; then, for twice as long again, the endpoint takes
 * a full share but is still warming ({@link #warming()}): its own latency does not decide its picks
 * yet (see {@link dev.courier.runtime.balance.Node#warming()}). 1 and not warming when no slow
 * start runs. A zero window never ramps. Thread-safe, lock-free; reads the clock only while it runs.
 */
final class SlowStartRamp {
  private static final long NONE = Long.MIN_VALUE;
  /** How many windows the endpoint stays warming at a full share after its ramp. */
  static final int HOLD_WINDOWS = 2;

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

  /** Ends the slow start (an ejection: the next recovery starts a new one). */
  void stop() {
    startedAt.set(NONE);
  }

  /** The share of a full turn now, in {@code [SLOW_START_FLOOR, 1]}; 1 once the ramp's window is over. */
  double admission() {
    long elapsed = elapsed();
    if (elapsed == NONE || elapsed >= windowNanos) {
      return 1.0;
    }
    double floor = PassiveHealth.SLOW_START_FLOOR;
    return floor + (1.0 - floor) * Math.max(elapsed, 0) / windowNanos;
  }

  /** Whether the slow start runs now: the ramp, or the {@value #HOLD_WINDOWS} windows after it; once over, false for good. */
  boolean warming() {
    return elapsed() != NONE;
  }

  /** Time since the ramp started, or {@code NONE} when no slow start runs (and from then on, once it is over). */
  private long elapsed() {
    long start = startedAt.get();
    if (start == NONE) {
      return NONE;
    }
    long elapsed = nanoClock.getAsLong() - start;
    if (elapsed >= windowNanos && (elapsed - windowNanos) / HOLD_WINDOWS >= windowNanos) { // without overflow
      startedAt.compareAndSet(start, NONE);
      return NONE;
    }
    return elapsed;
  }
}
