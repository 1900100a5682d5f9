/**
 * OpenTelemetry for Courier, in the {@code courier-opentelemetry} artifact (it brings {@code
 * opentelemetry-api}; the application brings the SDK and its exporters). {@link
 * dev.courier.runtime.observe.opentelemetry.OpenTelemetryListener} records Courier's calls,
 * attempts, retries, hedges, budget refusals, ejections and queue events as OpenTelemetry metrics,
 * with bounded attributes (method names and status codes). Tracing across gRPC and the queue is not
 * in this package yet.
 */
package dev.courier.runtime.observe.opentelemetry;
