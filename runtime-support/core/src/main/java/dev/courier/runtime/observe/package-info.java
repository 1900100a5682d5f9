/**
 * Observability: {@link dev.courier.runtime.observe.CourierListener}, told about calls, attempts,
 * retries, a spent retry budget, ejected endpoints and queue events (a call's end carries the
 * {@link dev.courier.runtime.retry.StopReason} that stopped it), and asked for a trace per call
 * ({@link dev.courier.runtime.observe.CallTrace}, {@link dev.courier.runtime.observe.QueueCallTrace},
 * {@link dev.courier.runtime.observe.QueueWorkTrace}; {@code NONE} without a tracer); {@link
 * dev.courier.runtime.observe.CallStats} counts them in memory; {@link
 * dev.courier.runtime.observe.TraceLog} joins Courier's log lines to the current trace; {@link
 * dev.courier.runtime.observe.LiveClients} lists the process's clients for the status page.
 * Exporters are artifacts of their own: {@code MicrometerListener} in {@code courier-micrometer},
 * {@code CourierOpenTelemetry} in {@code courier-opentelemetry}.
 */
package dev.courier.runtime.observe;
