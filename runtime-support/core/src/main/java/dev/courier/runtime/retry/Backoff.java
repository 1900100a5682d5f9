package dev.courier.runtime.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before a retry. Implementations are immutable and thread-safe; randomness is
 * passed in, so a test that injects a fixed generator gets an exact sequence.
 */
@FunctionalInterface
public interface Backoff {
  /**
   * The delay before retry number {@code retry}, in nanoseconds.
   *
   * @param retry 1 for the first retry (the second attempt), 2 for the next, ...
   * @param random where the jitter is drawn from
   */
  long delayNanos(int retry, RandomGenerator random);

  /**
   * Exponential backoff: {@code base = min(max, initial × multiplier^(retry-1))}, of which the
   * share {@code jitter} is randomised: {@code delay = base × (1 - jitter) + base × jitter × u},
   * {@code u} uniform in [0, 1). {@code jitter = 1.0} is "full jitter".
   */
  static Backoff exponential(Duration initial, Duration max, double multiplier, double jitter) {
    return new ExponentialBackoff(initial, max, multiplier, jitter);
  }

  /** The backoff {@code policy} describes. */
  static Backoff of(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return exponential(policy.initialBackoff(), policy.maxBackoff(), policy.multiplier(), policy.jitter());
  }
}
