package dev.courier.runtime.status;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies since start in log-linear buckets (8 per power of two, so a percentile is within
 * 12.5% of the true value), from which percentiles are read. Recording is lock-free and
 * allocation-free; a read walks the buckets once. Thread-safe.
 */
final class LatencyHistogram {
  private static final int SUB = 8;
  private static final int SUB_BITS = 3;
  private static final int BUCKETS = (63 - SUB_BITS + 1) * SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(long nanos) {
    counts.incrementAndGet(index(Math.max(nanos, 0)));
  }

  /** How many latencies were recorded. */
  long count() {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    return total;
  }

  /**
   * The {@code q} quantile ({@code 0 < q <= 1}) in nanoseconds: the upper end of the bucket that
   * holds the ceil(q × count)-th smallest latency; 0 when nothing was recorded.
   */
  long percentile(double q) {
    long[] snapshot = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      total += snapshot[i];
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += snapshot[i];
      if (seen >= rank) {
        return upper(i);
      }
    }
    return upper(BUCKETS - 1);
  }

  static int index(long value) {
    if (value < SUB) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    return (exponent - SUB_BITS + 1) * SUB + (int) ((value >>> (exponent - SUB_BITS)) & (SUB - 1));
  }

  /** The smallest value of bucket {@code index}. */
  static long lower(int index) {
    if (index < SUB) {
      return index;
    }
    int exponent = index / SUB + SUB_BITS - 1;
    return (long) (SUB + index % SUB) << (exponent - SUB_BITS);
  }

  /** The largest value of bucket {@code index}. */
  static long upper(int index) {
    return index + 1 >= BUCKETS ? Long.MAX_VALUE : lower(index + 1) - 1;
  }
}
