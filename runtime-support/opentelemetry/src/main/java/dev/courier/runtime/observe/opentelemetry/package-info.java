/**
 * OpenTelemetry for Courier, in the {@code courier-opentelemetry} artifact (it brings {@code
 * opentelemetry-api}; the application brings the SDK and its exporters). {@link
 * dev.courier.runtime.observe.opentelemetry.CourierOpenTelemetry} is the entry: its listener traces
 * unary calls (a client span with a child per attempt and hedge), queue calls (client, producer
 * and consumer spans) and records metrics ({@link
 * dev.courier.runtime.observe.opentelemetry.OpenTelemetryListener}); its server interceptor traces
 * handled calls. The W3C trace context and baggage travel in gRPC metadata and queue headers.
 * Names follow the RPC and messaging semantic conventions in the version {@link
 * dev.courier.runtime.observe.opentelemetry.SemanticConventions} chooses. {@link
 * dev.courier.runtime.observe.opentelemetry.TraceIds} puts trace and span ids on Courier's log
 * lines.
 */
package dev.courier.runtime.observe.opentelemetry;
