package dev.courier.runtime.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Keeps retries (and hedges) few enough that an outage is not multiplied into a retry storm. One
 * instance per client, shared by all its calls; {@link RetryDecider} asks it. Two kinds:
 * <ul>
 *   <li>{@link #of a share of the calls} (Courier's default, as Finagle's): over the last {@code
 *       window}, a retry is allowed only while {@code retries + 1 ≤ share × calls + floorPerSecond
 *       × windowSeconds}. So over any window, attempts ≤ calls × (1 + share) + floorPerSecond ×
 *       windowSeconds; the floor lets a client with little traffic still retry. Defaults: share
 *       0.2, floor 10 per second, window 10 s.
 *   <li>{@link #tokenBucket grpc's retry throttling} (gRFC A6, what a service config's {@code
 *       retryThrottling} asks for): a bucket of {@code maxTokens} tokens, full at first; every
 *       failed attempt the retry policy would retry takes one, every answer gives {@code
 *       tokenRatio} back, and retries (and hedges) are made only while more than half are left.
 * </ul>
 *
 * <p>Implementations are thread-safe, and the hooks cheap: {@link #onCall} and {@link #onAnswer}
 * run on every call.
 */
public sealed interface RetryBudget permits WindowRetryBudget, TokenBucketRetryBudget {
  /** Share 0.2, floor 10 retries per second, window 10 s, system clock. */
  static RetryBudget defaults() {
    return of(0.2, 10, Duration.ofSeconds(10), System::nanoTime);
  }

  /**
   * A budget of {@code share} retries per call plus {@code floorPerSecond} retries per second,
   * counted over {@code window} (whole seconds, at least 1) as read from {@code nanoClock}.
   */
  static RetryBudget of(double share, int floorPerSecond, Duration window, LongSupplier nanoClock) {
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
    return new WindowRetryBudget(share, floorPerSecond, (int) window.getSeconds(),
        Objects.requireNonNull(nanoClock, "nanoClock"));
  }

  /**
   * grpc's retry throttling: {@code maxTokens} tokens (1 to 1000), {@code tokenRatio} (more than
   * 0) given back per answer. Counted as grpc-java counts them, in thousandths of a token, so the
   * same calls get the same retries; see {@link TokenBucketRetryBudget}.
   */
  static RetryBudget tokenBucket(int maxTokens, double tokenRatio) {
    return new TokenBucketRetryBudget(maxTokens, tokenRatio);
  }

  /** No budget: every retry the retry policy allows is made. */
  static RetryBudget unlimited() {
    return new WindowRetryBudget(Double.POSITIVE_INFINITY, 0, 0, System::nanoTime);
  }

  /** Whether this budget never refuses. */
  boolean isUnlimited();

  /** Counts one call (its first attempt). */
  void onCall();

  /**
   * An attempt failed with a status its retry policy retries (whether or not attempts are left).
   * Returns {@code false} when that failure leaves no retry to make; a token bucket spends a token
   * here and decides. A share-of-calls budget counts nothing here and says {@code true}.
   */
  default boolean onRetryableFailure() {
    return true;
  }

  /**
   * Spends one retry if the budget allows it; {@code false} means "do not retry". Asked after
   * {@link #onRetryableFailure} said {@code true}.
   */
  boolean tryRetry();

  /** Spends one hedge if the budget allows it; {@code false} means "do not hedge". */
  default boolean tryHedge() {
    return tryRetry();
  }

  /** A call was answered (its response arrived). */
  default void onAnswer() {}

  /**
   * What the budget allows now, in one sentence for a status page: {@code "2 of 14 retries spent
   * in the last 10 s (share 0.2, floor 10/s)"}, {@code "7.3 of 10 tokens left, retries while more
   * than 5"}, or {@code "unlimited"}.
   */
  String usage();
}
