package dev.courier.runtime.observe.opentelemetry;

import dev.courier.runtime.observe.QueueCallTrace;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Map;

/**
 * The spans of one queue-backed call on the client. A call that waits for its reply is a client
 * span (kind {@code CLIENT}, named after the method, {@code rpc.system(.name) = courier_queue})
 * from the call to the reply; its request's publication is a child producer span ({@code send
 * <method>}, kind {@code PRODUCER}, the messaging conventions' attributes) whose context travels in
 * the request's headers to the worker. A fire-and-forget send is the producer span alone.
 * Thread-safe.
 */
final class QueueCallSpan implements QueueCallTrace {
  static final String RPC_SYSTEM = "courier_queue";
  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> OPERATION_OLD = AttributeKey.stringKey("messaging.operation");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("messaging.message.conversation_id");

  private final TracingListener tracing;
  private final RpcAttributes attributes;
  private final String system;
  private final Span call; // null for a send without reply
  private final Context context;
  private volatile Span producer = Span.getInvalid();

  private QueueCallSpan(TracingListener tracing, RpcAttributes attributes, String system, Span call,
      Context context) {
    this.tracing = tracing;
    this.attributes = attributes;
    this.system = system;
    this.call = call;
    this.context = context;
  }

  static QueueCallSpan start(TracingListener tracing, RpcAttributes attributes, String system, boolean waits) {
    Context parent = Context.current();
    if (!waits) {
      return new QueueCallSpan(tracing, attributes, system, null, parent);
    }
    Span call = tracing.tracer.spanBuilder(attributes.method).setSpanKind(SpanKind.CLIENT).setParent(parent)
        .setAllAttributes(attributes.rpc).setAttribute(MESSAGING_SYSTEM, system).startSpan();
    return new QueueCallSpan(tracing, attributes, system, call, parent.with(call));
  }

  /** The messaging attributes of {@code operation} ({@code send}, {@code process}) on {@code method}'s queue. */
  static AttributesBuilder messaging(SemanticConventions conventions, String system, String method,
      String operation, String messageId) {
    AttributesBuilder b = Attributes.builder().put(MESSAGING_SYSTEM, system).put(DESTINATION, method)
        .put(OPERATION_NAME, operation);
    if (conventions.stable()) {
      b.put(OPERATION_TYPE, operation);
    }
    if (conventions.old()) {
      b.put(OPERATION_OLD, operation.equals("send") ? "publish" : operation);
    }
    if (messageId != null) {
      b.put(MESSAGE_ID, messageId).put(CONVERSATION_ID, messageId);
    }
    return b;
  }

  @Override
  public void publishing(Map<String, String> headers, String requestId) {
    Span span = tracing.tracer.spanBuilder("send " + attributes.method).setSpanKind(SpanKind.PRODUCER)
        .setParent(context)
        .setAllAttributes(messaging(tracing.conventions, system, attributes.method, "send", requestId).build())
        .startSpan();
    producer = span;
    tracing.propagator.inject(context.with(span), headers, Carriers.MAP_SETTER);
  }

  @Override
  public void published(Throwable error) {
    Span span = producer;
    if (error != null) {
      span.recordException(error);
      span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    }
    span.end();
  }

  @Override
  public void end(Status status) {
    if (call == null) {
      return;
    }
    if (call.isRecording()) {
      call.setAllAttributes(attributes.status(status.getCode()));
      if (!status.isOk()) {
        call.setStatus(StatusCode.ERROR, status.getCode() + (status.getDescription() == null ? ""
            : ": " + status.getDescription()));
      }
    }
    call.end();
  }
}
