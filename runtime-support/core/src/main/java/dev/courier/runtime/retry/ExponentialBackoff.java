package dev.courier.runtime.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** See {@link Backoff#exponential}. Immutable. */
final class ExponentialBackoff implements Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private final double multiplier;
  private final double jitter;

  ExponentialBackoff(Duration initial, Duration max, double multiplier, double jitter) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative()) {
      throw new IllegalArgumentException("initial: " + initial + " (expected: >= 0)");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1.0)");
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0.0 to 1.0)");
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.multiplier = multiplier;
    this.jitter = jitter;
  }

  @Override
  public long delayNanos(int retry, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry: " + retry + " (expected: >= 1)");
    }
    double base = Math.min((double) maxNanos, initialNanos * Math.pow(multiplier, retry - 1));
    if (jitter == 0.0) {
      return (long) base;
    }
    return (long) (base * (1.0 - jitter) + base * jitter * random.nextDouble());
  }

  @Override
  public String toString() {
    return "ExponentialBackoff{initial=" + Duration.ofNanos(initialNanos) + ", max=" + Duration.ofNanos(maxNanos)
        + ", multiplier=" + multiplier + ", jitter=" + jitter + '}';
  }
}
