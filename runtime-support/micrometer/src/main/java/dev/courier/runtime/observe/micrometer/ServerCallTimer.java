package dev.courier.runtime.observe.micrometer;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code grpc.server} timer of every call a server handles, with the tags of Micrometer's own
 * {@code DefaultGrpcServerObservationConvention} as its {@code DefaultMeterObservationHandler} turns
 * them into a timer: {@code rpc.service}, {@code rpc.method} (the simple name), {@code rpc.type}
 * ({@code UNARY}, {@code SERVER_STREAMING}, ...), {@code grpc.status_code} (the code's name) and
 * {@code error} ({@code none}, or the simple class name of the status's cause). A call cancelled
 * before it closed is tagged {@code CANCELLED}, where Micrometer leaves the status tag out; one
 * set of tag keys per name is what Prometheus asks for. Timed from the call's arrival to its close,
 * on the registry's clock. Thread-safe; see {@link MicrometerListener#serverInterceptor()}.
 */
final class ServerCallTimer implements ServerInterceptor {
  static final String NAME = "grpc.server";

  private final MeterRegistry registry;
  private final MethodTags tags;

  ServerCallTimer(MeterRegistry registry, MethodTags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    MethodDescriptor<ReqT, RespT> method = call.getMethodDescriptor();
    Ending ending = new Ending(tags.of(method.getFullMethodName()).and("rpc.type", method.getType().name()),
        registry.config().clock().monotonicTime());
    ServerCall<ReqT, RespT> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        ending.end(status);
        super.close(status, trailers);
      }
    };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(timed, headers)) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          ending.end(Status.CANCELLED);
        }
      }
    };
  }

  /** Records the call once, at its close or its cancellation, whichever comes first. */
  private final class Ending {
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Tags method;
    private final long startedAt;

    Ending(Tags method, long startedAt) {
      this.method = method;
      this.startedAt = startedAt;
    }

    void end(Status status) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      Throwable cause = status.getCause();
      Timer.builder(NAME).tags(method).tag("grpc.status_code", status.getCode().name())
          .tag("error", cause == null ? "none" : cause.getClass().getSimpleName())
          .register(registry)
          .record(registry.config().clock().monotonicTime() - startedAt, TimeUnit.NANOSECONDS);
    }
  }
}
