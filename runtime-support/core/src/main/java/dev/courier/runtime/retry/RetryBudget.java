package dev.courier.runtime.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Keeps retries (and hedges) to a share of the calls, so an outage is not multiplied into a retry
 * storm: over the last {@code window}, a retry is allowed only while
 * {@code retries + 1 ≤ share × calls + floorPerSecond × windowSeconds}.
 *
 * <p>So over any window, attempts ≤ calls × (1 + share) + floorPerSecond × windowSeconds. The
 * floor lets a client with little traffic still retry. Defaults: share 0.2, floor 10 per second,
 * window 10 s (the values Finagle uses).
 *
 * <p>Stateful and thread-safe: one instance per client. {@link #onCall} is lock-free (it runs on
 * every call); {@link #tryRetry} takes a lock so that concurrent retries never overshoot.
 */
public final class RetryBudget {
  private static final long SECOND = 1_000_000_000L;

  private final double share;
  private final int floorPerSecond;
  private final int windowSeconds;
  private final LongSupplier nanoClock;
  private final AtomicReferenceArray<Bucket> buckets;

  private RetryBudget(double share, int floorPerSecond, int windowSeconds, LongSupplier nanoClock) {
    this.share = share;
    this.floorPerSecond = floorPerSecond;
    this.windowSeconds = windowSeconds;
    this.nanoClock = nanoClock;
    this.buckets = windowSeconds == 0 ? null : new AtomicReferenceArray<>(windowSeconds);
  }

  /** Share 0.2, floor 10 retries per second, window 10 s, system clock. */
  public static RetryBudget defaults() {
    return of(0.2, 10, Duration.ofSeconds(10), System::nanoTime);
  }

  /**
   * A budget of {@code share} retries per call plus {@code floorPerSecond} retries per second,
   * counted over {@code window} (whole seconds, at least 1) as read from {@code nanoClock}.
   */
  public static RetryBudget of(double share, int floorPerSecond, Duration window, LongSupplier nanoClock) {
    if (!(share >= 0.0)) {
      throw new IllegalArgumentException("share: " + share + " (expected: >= 0.0)");
    }
    if (floorPerSecond < 0) {
      throw new IllegalArgumentException("floorPerSecond: " + floorPerSecond + " (expected: >= 0)");
    }
    Objects.requireNonNull(window, "window");
    if (window.getSeconds() < 1) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 1s)");
    }
    if (window.getSeconds() > 3600) {
      throw new IllegalArgumentException("window: " + window + " (expected: <= 1h)");
    }
    return new RetryBudget(share, floorPerSecond, (int) window.getSeconds(),
        Objects.requireNonNull(nanoClock, "nanoClock"));
  }

  /** No budget: every retry the retry policy allows is made. */
  public static RetryBudget unlimited() {
    return new RetryBudget(Double.POSITIVE_INFINITY, 0, 0, System::nanoTime);
  }

  /** Whether this budget never refuses. */
  public boolean isUnlimited() {
    return buckets == null;
  }

  /** Counts one call (its first attempt). */
  public void onCall() {
    if (buckets != null) {
      bucket(nanoClock.getAsLong() / SECOND).calls.increment();
    }
  }

  /** Spends one retry if the budget allows it; {@code false} means "do not retry". */
  public boolean tryRetry() {
    if (buckets == null) {
      return true;
    }
    synchronized (this) {
      long now = nanoClock.getAsLong() / SECOND;
      long calls = 0;
      long retries = 0;
      for (int i = 0; i < windowSeconds; i++) {
        Bucket b = buckets.get(i);
        if (b != null && b.second > now - windowSeconds && b.second <= now) {
          calls += b.calls.sum();
          retries += b.retries.get();
        }
      }
      if (retries + 1 > share * calls + (double) floorPerSecond * windowSeconds) {
        return false;
      }
      bucket(now).retries.incrementAndGet();
      return true;
    }
  }

  /**
   * What the budget allows now, in one sentence for a status page: {@code "2 of 14 retries spent
   * in the last 10 s (share 0.2, floor 10/s)"}, or {@code "unlimited"}.
   */
  public String usage() {
    if (buckets == null) {
      return "unlimited";
    }
    long now = nanoClock.getAsLong() / SECOND;
    long calls = 0;
    long retries = 0;
    for (int i = 0; i < windowSeconds; i++) {
      Bucket b = buckets.get(i);
      if (b != null && b.second > now - windowSeconds && b.second <= now) {
        calls += b.calls.sum();
        retries += b.retries.get();
      }
    }
    long allowed = (long) Math.floor(share * calls + (double) floorPerSecond * windowSeconds);
    return retries + " of " + allowed + " retries spent in the last " + windowSeconds + " s (share " + share
        + ", floor " + floorPerSecond + "/s)";
  }

  private Bucket bucket(long second) {
    int index = (int) Math.floorMod(second, (long) windowSeconds);
    Bucket b = buckets.get(index);
    while (b == null || b.second < second) {
      Bucket fresh = new Bucket(second);
      if (buckets.compareAndSet(index, b, fresh)) {
        return fresh;
      }
      b = buckets.get(index);
    }
    return b;
  }

  @Override
  public String toString() {
    return isUnlimited()
        ? "RetryBudget{unlimited}"
        : "RetryBudget{share=" + share + ", floorPerSecond=" + floorPerSecond + ", window=" + windowSeconds + "s}";
  }

  /** Calls and retries counted in one second of the window. */
  private static final class Bucket {
    final long second;
    final LongAdder calls = new LongAdder();
    final AtomicLong retries = new AtomicLong();

    Bucket(long second) {
      this.second = second;
    }
  }
}
