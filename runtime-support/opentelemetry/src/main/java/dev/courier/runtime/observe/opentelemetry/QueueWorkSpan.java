package dev.courier.runtime.observe.opentelemetry;

import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.observe.QueueWorkTrace;
import dev.courier.runtime.queue.QueueHeaders;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Map;

/**
 * A worker's processing of one delivery: a consumer span ({@code process <method>}, kind {@code
 * CONSUMER}, the messaging conventions' attributes) whose parent is the producer span that
 * published the request, read from the request's headers. The worker runs the handler inside it.
 * Thread-safe.
 */
final class QueueWorkSpan implements QueueWorkTrace {
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("courier.queue.event");

  private final SemanticConventions conventions;
  private final Span span;
  private final Context context;

  private QueueWorkSpan(SemanticConventions conventions, Span span, Context context) {
    this.conventions = conventions;
    this.span = span;
    this.context = context;
  }

  static QueueWorkSpan start(TracingListener tracing, String method, String system, Map<String, String> headers) {
    Context parent = tracing.propagator.extract(Context.root(), headers, Carriers.MAP_GETTER);
    Span span = tracing.tracer.spanBuilder("process " + method).setSpanKind(SpanKind.CONSUMER).setParent(parent)
        .setAllAttributes(QueueCallSpan.messaging(tracing.conventions, system, method, "process",
            headers.get(QueueHeaders.REQUEST_ID)).build())
        .startSpan();
    return new QueueWorkSpan(tracing.conventions, span, parent.with(span));
  }

  @Override
  public Scope enter() {
    io.opentelemetry.context.Scope scope = context.makeCurrent();
    return scope::close;
  }

  @Override
  public void end(QueueEvent event, Status status) {
    if (span.isRecording()) {
      span.setAttribute(OUTCOME, event.name().toLowerCase(Locale.ROOT));
      span.setAllAttributes(RpcAttributes.withStatus(conventions, io.opentelemetry.api.common.Attributes.builder(),
          status.getCode()).build());
      if (!status.isOk()) {
        span.setStatus(StatusCode.ERROR, status.getCode() + (status.getDescription() == null ? ""
            : ": " + status.getDescription()));
      }
    }
    span.end();
  }
}
