package dev.courier.runtime.observe.opentelemetry;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A server span per handled call (kind {@code SERVER}, named after the method, its parent read from
 * the call's {@code traceparent}), current on the thread whenever the method's code runs, so calls
 * it makes with a Courier client are its children; and the server's call-duration histogram. See
 * {@link CourierOpenTelemetry#serverInterceptor()}. Thread-safe.
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
final class TracingServerInterceptor implements ServerInterceptor {
  private final TracingListener tracing;
  private final AttributeCache spanAttributes;
  private final AttributeCache metricAttributes;
  private final Durations durations;
  private final LongSupplier nanoClock;

  TracingServerInterceptor(TracingListener tracing, Durations durations, int maxMethods, LongSupplier nanoClock) {
    this.tracing = tracing;
    this.spanAttributes = new AttributeCache(tracing.conventions, "grpc", 4096, false);
    this.metricAttributes = new AttributeCache(tracing.conventions, "grpc", maxMethods, true);
    this.durations = durations;
    this.nanoClock = nanoClock;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    RpcAttributes attributes = spanAttributes.get(method);
    Context parent = tracing.propagator.extract(Context.root(), headers, Carriers.METADATA_GETTER);
    Span span = tracing.tracer.spanBuilder(method).setSpanKind(SpanKind.SERVER).setParent(parent)
        .setAllAttributes(attributes.rpc).startSpan();
    Context context = parent.with(span);
    Ending ending = new Ending(span, attributes, metricAttributes.get(method), nanoClock.getAsLong());
    ServerCall<ReqT, RespT> traced = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        ending.end(status);
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<ReqT> listener;
    try (Scope ignored = context.makeCurrent()) {
      listener = next.startCall(traced, headers);
    } catch (RuntimeException e) {
      ending.end(Status.fromThrowable(e));
      throw e;
    }
    return new InContext<>(listener, context, ending);
  }

  /** Ends the span and records the duration once, at the call's close or its cancellation. */
  private final class Ending {
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Span span;
    private final RpcAttributes attributes;
    private final RpcAttributes metric;
    private final long startedAt;

    Ending(Span span, RpcAttributes attributes, RpcAttributes metric, long startedAt) {
      this.span = span;
      this.attributes = attributes;
      this.metric = metric;
      this.startedAt = startedAt;
    }

    void end(Status status) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      durations.record(nanoClock.getAsLong() - startedAt, metric.status(status.getCode()));
      if (span.isRecording()) {
        span.setAllAttributes(attributes.status(status.getCode()));
        if (serverFault(status.getCode())) {
          span.setStatus(StatusCode.ERROR, status.getCode() + (status.getDescription() == null ? ""
              : ": " + status.getDescription()));
        }
      }
      span.end();
    }
  }

  /**
   * The codes the RPC conventions mark as a server span's error: the server's own faults, not the
   * client's mistakes ({@code NOT_FOUND}, {@code INVALID_ARGUMENT}, ...).
   */
  static boolean serverFault(Status.Code code) {
    return switch (code) {
      case UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS -> true;
      default -> false;
    };
  }

  /** Runs every callback of the method's listener with the server span current. */
  private static final class InContext<ReqT> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final Context context;
    private final Ending ending;

    InContext(ServerCall.Listener<ReqT> delegate, Context context, Ending ending) {
      super(delegate);
      this.context = context;
      this.ending = ending;
    }

    @Override
    public void onMessage(ReqT message) {
      try (Scope ignored = context.makeCurrent()) {
        super.onMessage(message);
      }
    }

    @Override
    public void onHalfClose() {
      try (Scope ignored = context.makeCurrent()) {
        super.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      try (Scope ignored = context.makeCurrent()) {
        super.onCancel();
      } finally {
        ending.end(Status.CANCELLED);
      }
    }

    @Override
    public void onComplete() {
      try (Scope ignored = context.makeCurrent()) {
        super.onComplete();
      }
    }

    @Override
    public void onReady() {
      try (Scope ignored = context.makeCurrent()) {
        super.onReady();
      }
    }
  }
}
