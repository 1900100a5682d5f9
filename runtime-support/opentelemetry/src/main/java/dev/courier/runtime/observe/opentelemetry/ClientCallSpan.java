package dev.courier.runtime.observe.opentelemetry;

import dev.courier.runtime.observe.AttemptTrace;
import dev.courier.runtime.observe.CallTrace;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Metadata;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;

/**
 * The client span of one unary call (kind {@code CLIENT}, named after the method): every attempt
 * and hedge is a child span ({@link AttemptSpan}, kind {@code INTERNAL}) whose context travels in
 * the attempt's headers; retries and budget refusals are events on it. Thread-safe: attempts may
 * report at once, and OpenTelemetry's spans are thread-safe.
 */
final class ClientCallSpan implements CallTrace {
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("courier.attempt");
  static final AttributeKey<Boolean> HEDGE = AttributeKey.booleanKey("courier.hedge");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("courier.attempts");
  static final AttributeKey<String> STOP_REASON = AttributeKey.stringKey("courier.stop_reason");
  static final AttributeKey<Double> BACKOFF_MS = AttributeKey.doubleKey("courier.backoff_ms");

  private final TracingListener tracing;
  private final RpcAttributes attributes;
  private final Span span;
  private final Context context;

  ClientCallSpan(TracingListener tracing, RpcAttributes attributes, Span span, Context context) {
    this.tracing = tracing;
    this.attributes = attributes;
    this.span = span;
    this.context = context;
  }

  @Override
  public AttemptTrace attempt(String endpoint, int number, boolean hedged, Metadata headers) {
    Span attempt = tracing.tracer.spanBuilder("attempt " + attributes.method).setParent(context)
        .setAllAttributes(attributes.rpc).setAllAttributes(RpcAttributes.server(endpoint))
        .setAttribute(ATTEMPT, (long) number).setAttribute(HEDGE, hedged).startSpan();
    tracing.propagator.inject(context.with(attempt), headers, Carriers.METADATA_SETTER);
    return new AttemptSpan(tracing.conventions, attempt);
  }

  @Override
  public void retry(int nextAttempt, long backoffNanos, Status.Code lastCode) {
    if (span.isRecording()) {
      AttributesBuilder b = Attributes.builder().put(ATTEMPT, (long) nextAttempt)
          .put(BACKOFF_MS, backoffNanos / 1e6);
      span.addEvent("courier.retry", RpcAttributes.withStatus(tracing.conventions, b, lastCode).build());
    }
  }

  @Override
  public void budgetRefused(boolean hedge) {
    span.addEvent("courier.retry_budget.exhausted", Attributes.of(HEDGE, hedge));
  }

  @Override
  public void end(Status status, int attempts, StopReason reason) {
    if (span.isRecording()) {
      span.setAllAttributes(attributes.status(status.getCode()));
      span.setAttribute(ATTEMPTS, (long) attempts);
      if (reason != null) {
        span.setAttribute(STOP_REASON, reason.label());
      }
      if (!status.isOk()) {
        span.setStatus(StatusCode.ERROR, status.getDescription() == null
            ? status.getCode().name() : status.getCode() + ": " + status.getDescription());
      }
    }
    span.end();
  }

  /** One attempt's span. */
  static final class AttemptSpan implements AttemptTrace {
    static final AttributeKey<Double> EJECTION_MS = AttributeKey.doubleKey("courier.ejection_ms");

    private final SemanticConventions conventions;
    private final Span span;

    AttemptSpan(SemanticConventions conventions, Span span) {
      this.conventions = conventions;
      this.span = span;
    }

    @Override
    public void ejected(String endpoint, long nanos) {
      span.addEvent("courier.ejection", RpcAttributes.server(endpoint).toBuilder()
          .put(EJECTION_MS, TimeUnit.NANOSECONDS.toMicros(nanos) / 1e3).build());
    }

    @Override
    public void end(Status.Code code) {
      if (span.isRecording()) {
        span.setAllAttributes(RpcAttributes.withStatus(conventions, Attributes.builder(), code).build());
        if (code != Status.Code.OK) {
          span.setStatus(StatusCode.ERROR, code.name());
        }
      }
      span.end();
    }

    @Override
    public String logSuffix() {
      return TraceIds.suffix(span.getSpanContext());
    }
  }
}
