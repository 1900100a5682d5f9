/**
 * Retries: what a method declares ({@link dev.courier.runtime.retry.RetryPolicy}, {@link
 * dev.courier.runtime.retry.HedgePolicy}), how long to wait ({@link
 * dev.courier.runtime.retry.Backoff}, exponential with jitter), how many retries a client may
 * spend ({@link dev.courier.runtime.retry.RetryBudget}: a share of its calls, or grpc's token
 * bucket for a service config's {@code retryThrottling}), which status codes
 * may be retried and which count against an endpoint ({@link
 * dev.courier.runtime.retry.Retryability}), and the rule that puts them together: {@link
 * dev.courier.runtime.retry.RetryDecider}, which answers {@code Retry(delay)} or {@code
 * Stop(}{@link dev.courier.runtime.retry.StopReason}{@code )}. An adaptive hedge's delay comes
 * from {@code LatencyWindow}, the method's recent latency at a percentile, kept by the decider.
 *
 * <p>Everything here is pure or self-contained: it knows nothing of channels, calls or threads,
 * and imports neither {@code dev.courier.runtime} nor {@code dev.courier.runtime.client}. The
 * client's {@code UnaryCall} runs the attempts and asks the decider.
 */
package dev.courier.runtime.retry;
