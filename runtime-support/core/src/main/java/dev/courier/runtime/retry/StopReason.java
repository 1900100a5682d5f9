package dev.courier.runtime.retry;

import java.util.Locale;

/**
 * What stopped further attempts of a call that failed. Reported by {@code
 * CourierException.stopReason()} and {@code CourierListener.onCallEnd}; decided by {@link
 * RetryDecider}.
 */
public enum StopReason {
  /** The caller cancelled the call (directly, through its future, or through its gRPC context). */
  CANCELLED,
  /** The call's deadline passed, or would pass before the next attempt could start. */
  DEADLINE,
  /** The status is not retryable for this method (see {@link Retryability}). */
  NOT_RETRYABLE,
  /** The call made {@link RetryPolicy#maxAttempts()} attempts. */
  MAX_ATTEMPTS,
  /** The {@link RetryBudget} refused a retry. */
  BUDGET;

  /**
   * A stable lower-case label for messages, logs and metric tags: {@code "cancelled"}, {@code
   * "deadline"}, {@code "not retryable"}, {@code "max attempts"}, {@code "budget"}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
