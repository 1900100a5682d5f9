package dev.courier.runtime.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Hedging for idempotent methods: when the first attempt has not answered after the hedge delay,
 * another attempt starts on a different endpoint, up to {@link #maxHedged()} extra attempts; the
 * first answer wins and the others are cancelled. Hedges spend the retry budget. Immutable.
 *
 * <p>The delay is fixed ({@code new HedgePolicy(hedgeAfter, maxHedged)}), or adaptive ({@link
 * #atPercentile}): the method's recent latency at a percentile ("The Tail at Scale": hedge after
 * the 95th percentile and about 5% of calls send a second request). Adaptive delays come from the
 * latencies of the client's successful calls of the method, each from its start to its answer, over
 * the last {@value #WINDOW_SECONDS} to {@code 2 × }{@value #WINDOW_SECONDS} seconds; while fewer
 * than 20 are known, and whenever the percentile is above it, the delay is {@link #hedgeAfter()}.
 *
 * @param hedgeAfter the fixed delay before each extra attempt; for an adaptive policy the longest
 *     delay, and the delay while too few latencies are known; positive
 * @param maxHedged extra attempts at most; at least 1
 * @param percentile the percentile of recent latencies to hedge after, in {@code [50, 100)}; 0 for
 *     a fixed delay
 */
public record HedgePolicy(Duration hedgeAfter, int maxHedged, double percentile) {
  /** How long one window of an adaptive policy's latency estimate lasts. */
  public static final int WINDOW_SECONDS = 5;

  /** The longest delay of {@link #atPercentile(double, int)}, and its delay until latencies are known: 1 s. */
  public static final Duration ADAPTIVE_CEILING = Duration.ofSeconds(1);

  public HedgePolicy {
    Objects.requireNonNull(hedgeAfter, "hedgeAfter");
    if (hedgeAfter.isNegative() || hedgeAfter.isZero()) {
      throw new IllegalArgumentException("hedgeAfter: " + hedgeAfter + " (expected: > 0)");
    }
    if (maxHedged < 1) {
      throw new IllegalArgumentException("maxHedged: " + maxHedged + " (expected: >= 1)");
    }
    if (percentile != 0 && !(percentile >= 50 && percentile < 100)) {
      throw new IllegalArgumentException("percentile: " + percentile + " (expected: 0 for a fixed delay, or >= 50 and < 100)");
    }
  }

  /** A fixed delay of {@code hedgeAfter} before each of at most {@code maxHedged} extra attempts. */
  public HedgePolicy(Duration hedgeAfter, int maxHedged) {
    this(hedgeAfter, maxHedged, 0);
  }

  /**
   * Hedge after the method's recent latency at {@code percentile} ({@code 95} for p95), at most
   * {@link #ADAPTIVE_CEILING}, with at most {@code maxHedged} extra attempts.
   */
  public static HedgePolicy atPercentile(double percentile, int maxHedged) {
    if (percentile == 0) {
      throw new IllegalArgumentException("percentile: 0.0 (expected: >= 50 and < 100)");
    }
    return new HedgePolicy(ADAPTIVE_CEILING, maxHedged, percentile);
  }

  /** Whether the delay follows the method's recent latencies. */
  public boolean adaptive() {
    return percentile != 0;
  }

  /** A copy with {@code maxHedged} extra attempts at most. */
  public HedgePolicy withMaxHedged(int maxHedged) {
    return new HedgePolicy(hedgeAfter, maxHedged, percentile);
  }

  /** {@code p95} for an adaptive policy, the delay (such as {@code 20ms}) for a fixed one. */
  public String afterText() {
    if (adaptive()) {
      return "p" + (percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile));
    }
    long nanos = hedgeAfter.toNanos();
    return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : nanos / 1_000 + "us";
  }

  /** {@code HedgePolicy[hedgeAfter=PT0.02S, maxHedged=1]}, or for an adaptive one {@code HedgePolicy[p95, maxHedged=1, at most PT1S]}. */
  @Override
  public String toString() {
    return adaptive()
        ? "HedgePolicy[" + afterText() + ", maxHedged=" + maxHedged + ", at most " + hedgeAfter + "]"
        : "HedgePolicy[hedgeAfter=" + hedgeAfter + ", maxHedged=" + maxHedged + "]";
  }
}
