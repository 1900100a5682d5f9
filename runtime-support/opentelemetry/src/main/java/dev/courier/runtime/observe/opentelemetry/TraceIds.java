package dev.courier.runtime.observe.opentelemetry;

import dev.courier.runtime.observe.TraceLog;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The {@code " trace_id=… span_id=…"} that Courier's log lines end with, from a span context;
 * registered as the {@link TraceLog.Provider} that reads OpenTelemetry's current span.
 */
public final class TraceIds implements TraceLog.Provider {
  /** {@code " trace_id=<32 hex> span_id=<16 hex>"}, or {@code ""} for an invalid context. */
  static String suffix(SpanContext context) {
    return context.isValid() ? " trace_id=" + context.getTraceId() + " span_id=" + context.getSpanId() : "";
  }

  @Override
  public String currentSuffix() {
    return suffix(Span.current().getSpanContext());
  }
}
