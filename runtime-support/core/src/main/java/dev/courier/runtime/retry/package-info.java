/**
 * Retries: {@link dev.courier.runtime.retry.RetryPolicy} (what a method declares),
 * {@link dev.courier.runtime.retry.Backoff} (exponential, with jitter),
 * {@link dev.courier.runtime.retry.RetryBudget} (retries as a share of calls),
 * {@link dev.courier.runtime.retry.Retryability} (which failures are safe to retry) and
 * {@link dev.courier.runtime.retry.HedgePolicy}.
 */
package dev.courier.runtime.retry;
