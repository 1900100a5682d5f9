package dev.courier.runtime.observe.opentelemetry;

import dev.courier.runtime.observe.CallTrace;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueCallTrace;
import dev.courier.runtime.observe.QueueWorkTrace;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Map;

/**
 * The tracing half of {@link CourierOpenTelemetry#listener()}: a client span per unary call
 * ({@link ClientCallSpan}) with a child per attempt, and the spans of a queue call ({@link
 * QueueCallSpan}) and of its processing by a worker ({@link QueueWorkSpan}). Thread-safe.
 */
final class TracingListener implements CourierListener {
  final Tracer tracer;
  final TextMapPropagator propagator;
  final SemanticConventions conventions;
  private final AttributeCache grpc;
  private final AttributeCache queue;

  TracingListener(Tracer tracer, TextMapPropagator propagator, SemanticConventions conventions) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.conventions = conventions;
    this.grpc = new AttributeCache(conventions, "grpc", 4096, false);
    this.queue = new AttributeCache(conventions, QueueCallSpan.RPC_SYSTEM, 4096, false);
  }

  @Override
  public CallTrace traceCall(String method) {
    Context parent = Context.current();
    RpcAttributes attributes = grpc.get(method);
    Span span = tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT).setParent(parent)
        .setAllAttributes(attributes.rpc).startSpan();
    return new ClientCallSpan(this, attributes, span, parent.with(span));
  }

  @Override
  public QueueCallTrace traceQueueCall(String method, String system, boolean waits) {
    return QueueCallSpan.start(this, queue.get(method), system, waits);
  }

  @Override
  public QueueWorkTrace traceQueueWork(String method, String system, Map<String, String> headers) {
    return QueueWorkSpan.start(this, method, system, headers);
  }

  @Override
  public String toString() {
    return "TracingListener{" + tracer + ", " + propagator + ", " + conventions + "}";
  }
}
