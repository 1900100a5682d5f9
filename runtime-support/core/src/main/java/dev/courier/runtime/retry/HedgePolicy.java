package dev.courier.runtime.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Hedging for idempotent methods: when the first attempt has not answered after {@link
 * #hedgeAfter()}, another attempt starts on a different endpoint, up to {@link #maxHedged()}
 * extra attempts; the first answer wins and the others are cancelled. Hedges spend the retry
 * budget. Immutable.
 *
 * @param hedgeAfter delay before each extra attempt; positive
 * @param maxHedged extra attempts at most; at least 1
 */
public record HedgePolicy(Duration hedgeAfter, int maxHedged) {
  public HedgePolicy {
    Objects.requireNonNull(hedgeAfter, "hedgeAfter");
    if (hedgeAfter.isNegative() || hedgeAfter.isZero()) {
      throw new IllegalArgumentException("hedgeAfter: " + hedgeAfter + " (expected: > 0)");
    }
    if (maxHedged < 1) {
      throw new IllegalArgumentException("maxHedged: " + maxHedged + " (expected: >= 1)");
    }
  }
}
