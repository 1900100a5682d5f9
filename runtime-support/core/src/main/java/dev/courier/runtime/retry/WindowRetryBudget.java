package dev.courier.runtime.retry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The {@link RetryBudget} of a share of the calls: over the last {@code window}, a retry is allowed
 * only while {@code retries + 1 ≤ share × calls + floorPerSecond × windowSeconds}. See {@link
 * RetryBudget#of}.
 *
 * <p>Thread-safe. {@link #onCall} is lock-free (it runs on every call); {@link #tryRetry} takes a
 * lock so that concurrent retries never overshoot.
 */
final class WindowRetryBudget implements RetryBudget {
  private static final long SECOND = 1_000_000_000L;

  private final double share;
  private final int floorPerSecond;
  private final int windowSeconds;
  private final LongSupplier nanoClock;
  private final AtomicReferenceArray<Bucket> buckets;

  WindowRetryBudget(double share, int floorPerSecond, int windowSeconds, LongSupplier nanoClock) {
    this.share = share;
    this.floorPerSecond = floorPerSecond;
    this.windowSeconds = windowSeconds;
    this.nanoClock = nanoClock;
    this.buckets = windowSeconds == 0 ? null : new AtomicReferenceArray<>(windowSeconds);
  }

  @Override
  public boolean isUnlimited() {
    return buckets == null;
  }

  @Override
  public void onCall() {
    if (buckets != null) {
      bucket(nanoClock.getAsLong() / SECOND).calls.increment();
    }
  }

  @Override
  public boolean tryRetry() {
    if (buckets == null) {
      return true;
    }
    synchronized (this) {
      long now = nanoClock.getAsLong() / SECOND;
      Counts counts = counts(now);
      if (counts.retries + 1 > share * counts.calls + (double) floorPerSecond * windowSeconds) {
        return false;
      }
      bucket(now).retries.incrementAndGet();
      return true;
    }
  }

  @Override
  public String usage() {
    if (buckets == null) {
      return "unlimited";
    }
    Counts counts = counts(nanoClock.getAsLong() / SECOND);
    long allowed = (long) Math.floor(share * counts.calls + (double) floorPerSecond * windowSeconds);
    return counts.retries + " of " + allowed + " retries spent in the last " + windowSeconds + " s (share " + share
        + ", floor " + floorPerSecond + "/s)";
  }

  /** Calls and retries counted in the window that ends at second {@code now}. */
  private Counts counts(long now) {
    long calls = 0;
    long retries = 0;
    for (int i = 0; i < windowSeconds; i++) {
      Bucket b = buckets.get(i);
      if (b != null && b.second > now - windowSeconds && b.second <= now) {
        calls += b.calls.sum();
        retries += b.retries.get();
      }
    }
    return new Counts(calls, retries);
  }

  private record Counts(long calls, long retries) {}

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
