package dev.courier.runtime.retry;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A method's recent latency at one percentile, for adaptive hedging: a histogram of the latencies
 * of the last one to two windows. Each power of two is split into {@value #SUB_BUCKETS} buckets, so
 * a value is reported at most 6.25% above the true one (the bucket's upper bound: a hedge waits a
 * little longer rather than shorter). Latencies from 1 µs to about 10^12 ns (17 minutes) are told
 * apart; shorter ones count as 1 µs, longer ones as the longest.
 *
 * <p>Time is given to every method ({@code now}, nanoseconds on any monotonic clock), so the
 * estimator is exact under a test's clock. Records go to the current window; when it is {@code
 * windowNanos} old it becomes the previous one and a new one starts, so a sample counts for one to
 * two windows and the estimate follows a change of the method's latency within that time. A
 * window that got no record is skipped. The percentile is computed at most once per {@value
 * #REFRESH_NANOS} ns (a scan of the buckets) and cached between.
 *
 * <p>Thread-safe and lock-free for records (a record racing a window change may land in the
 * window that just ended, which only ages it a little); a window change takes the object's lock.
 */
final class LatencyWindow {
  /** Samples the two windows must hold before the estimate is used. */
  static final int MIN_SAMPLES = 20;
  /** How long a computed percentile is reused. */
  static final long REFRESH_NANOS = 5_000_000L;

  private static final int SUB_BUCKETS = 16;
  private static final int SUB_BITS = 4;
  private static final int MIN_SHIFT = 10; // 1024 ns
  private static final int OCTAVES = 30; // up to 2^40 ns
  private static final int BUCKETS = OCTAVES * SUB_BUCKETS;

  private final double percentile;
  private final long windowNanos;
  private volatile AtomicLongArray current = new AtomicLongArray(BUCKETS);
  private volatile AtomicLongArray previous = new AtomicLongArray(BUCKETS);
  private volatile long currentStart;
  private volatile boolean started;
  private volatile long cachedAt;
  private volatile long cached = -1;
  private volatile boolean cacheValid;

  /**
   * @param percentile which percentile to report, in {@code (0, 100)}
   * @param windowNanos how long one window lasts; positive
   */
  LatencyWindow(double percentile, long windowNanos) {
    if (!(percentile > 0 && percentile < 100)) {
      throw new IllegalArgumentException("percentile: " + percentile + " (expected: > 0 and < 100)");
    }
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("windowNanos: " + windowNanos + " (expected: > 0)");
    }
    this.percentile = percentile;
    this.windowNanos = windowNanos;
  }

  /** Records one latency observed at {@code now}. */
  void record(long now, long latencyNanos) {
    roll(now);
    current.incrementAndGet(bucket(latencyNanos));
  }

  /**
   * The latency at the percentile over the current and the previous window, in nanoseconds, or
   * {@code -1} while they hold fewer than {@value #MIN_SAMPLES} samples.
   */
  long valueNanos(long now) {
    if (cacheValid && now - cachedAt < REFRESH_NANOS) {
      return cached;
    }
    roll(now);
    long value = compute();
    cached = value;
    cachedAt = now;
    cacheValid = true;
    return value;
  }

  private long compute() {
    AtomicLongArray a = current;
    AtomicLongArray b = previous;
    long[] counts = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = a.get(i) + b.get(i);
      total += counts[i];
    }
    if (total < MIN_SAMPLES) {
      return -1;
    }
    long rank = (long) Math.ceil(total * percentile / 100.0);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(BUCKETS - 1);
  }

  /** Starts a new window when the current one is over; forgets both after a gap of two windows. */
  private void roll(long now) {
    if (started && now - currentStart < windowNanos) {
      return;
    }
    synchronized (this) {
      if (!started) {
        started = true;
        currentStart = now;
        return;
      }
      long age = now - currentStart;
      if (age < windowNanos) {
        return;
      }
      previous = age < 2 * windowNanos ? current : new AtomicLongArray(BUCKETS);
      current = new AtomicLongArray(BUCKETS);
      currentStart = now;
      cacheValid = false;
    }
  }

  static int bucket(long nanos) {
    long v = Math.max(nanos, 1L << MIN_SHIFT);
    int log = 63 - Long.numberOfLeadingZeros(v);
    int octave = log - MIN_SHIFT;
    if (octave >= OCTAVES) {
      return BUCKETS - 1;
    }
    int sub = (int) ((v >>> (log - SUB_BITS)) & (SUB_BUCKETS - 1));
    return octave * SUB_BUCKETS + sub;
  }

  /** The largest latency in bucket {@code index}, in nanoseconds. */
  static long upperBound(int index) {
    int octave = index / SUB_BUCKETS;
    int sub = index % SUB_BUCKETS;
    long base = 1L << (octave + MIN_SHIFT);
    return base + ((base >>> SUB_BITS) * (sub + 1)) - 1;
  }
}
