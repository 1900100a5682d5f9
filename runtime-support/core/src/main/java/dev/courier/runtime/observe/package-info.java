/**
 * Observability: {@link dev.courier.runtime.observe.CourierListener}, told about calls, attempts,
 * retries, a spent retry budget, ejected endpoints and queue events (a call's end carries the
 * {@link dev.courier.runtime.retry.StopReason} that stopped it); {@link
 * dev.courier.runtime.observe.CallStats} counts them in memory. Exporters are artifacts of their
 * own: {@code MicrometerListener} in {@code courier-micrometer}, {@code OpenTelemetryListener} in
 * {@code courier-opentelemetry}.
 */
package dev.courier.runtime.observe;
