package dev.courier.runtime.observe.opentelemetry;

import dev.courier.runtime.observe.CourierListener;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Courier in OpenTelemetry: traces and metrics of clients, servers and queues, from one {@link
 * OpenTelemetry} (by default {@link GlobalOpenTelemetry}).
 *
 * <pre>{@code
 * CourierOpenTelemetry otel = CourierOpenTelemetry.create(openTelemetry);
 * InventoryClient client = InventoryClient.builder().target(...).listener(otel.listener()).build();
 * CourierServer server = InventoryServer.builder(impl).intercept(otel.serverInterceptor()).start();
 * QueueWorkerRuntime.builder(transport).listener(otel.listener());   // and XxxQueueClient.create(transport, otel.listener())
 * }</pre>
 *
 * <ul>
 *   <li>{@link #listener()}: a client span per unary call with a child span per attempt and hedge
 *       (its endpoint as {@code server.address}, {@code server.port}); retries, budget refusals and
 *       ejections as span events; a queue call's client span, its producer span and the worker's
 *       consumer span; and the metrics of {@link OpenTelemetryListener}.
 *   <li>{@link #serverInterceptor()}: a server span per handled call and the server's
 *       call-duration histogram.
 * </ul>
 *
 * <p>The trace context travels as W3C {@code traceparent} (with {@code tracestate}) and {@code
 * baggage} in gRPC metadata and in queue message headers (Kafka record headers), through the
 * {@code OpenTelemetry}'s propagators, or W3C trace context and baggage when those are the no-op
 * propagator. Names and attributes follow the RPC and messaging semantic conventions in the version
 * {@link SemanticConventions} chooses. Immutable and thread-safe; make one per process.
 */
public final class CourierOpenTelemetry {
  private final CourierListener listener;
  private final TracingListener tracing;
  private final OpenTelemetry openTelemetry;
  private final SemanticConventions conventions;
  private final int maxMethods;
  private final LongSupplier nanoClock;

  private CourierOpenTelemetry(Builder b) {
    this.openTelemetry = b.openTelemetry;
    this.conventions = b.conventions;
    this.maxMethods = b.maxMethods;
    this.nanoClock = b.nanoClock;
    TextMapPropagator propagator = b.openTelemetry.getPropagators().getTextMapPropagator();
    if (propagator == TextMapPropagator.noop()) {
      propagator = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
          W3CBaggagePropagator.getInstance());
    }
    this.tracing = new TracingListener(b.openTelemetry.getTracer(OpenTelemetryListener.SCOPE), propagator, conventions);
    OpenTelemetryListener metrics = new OpenTelemetryListener(
        b.openTelemetry.getMeter(OpenTelemetryListener.SCOPE), maxMethods, conventions);
    this.listener = CourierListener.all(List.of(tracing, metrics));
  }

  /** Traces and metrics through {@link GlobalOpenTelemetry}, in the conventions of {@link SemanticConventions#fromEnvironment()}. */
  public static CourierOpenTelemetry global() {
    return builder(GlobalOpenTelemetry.get()).build();
  }

  /** Traces and metrics through {@code openTelemetry}, in the conventions of {@link SemanticConventions#fromEnvironment()}. */
  public static CourierOpenTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** A builder on {@code openTelemetry}. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** The listener for clients, queue clients and queue workers: spans and metrics. */
  public CourierListener listener() {
    return listener;
  }

  /** For {@code CourierServer.Builder.intercept(...)}: a server span per call, and the server's duration histogram. */
  public ServerInterceptor serverInterceptor() {
    return new TracingServerInterceptor(tracing,
        Durations.server(openTelemetry.getMeter(OpenTelemetryListener.SCOPE), conventions), maxMethods, nanoClock);
  }

  /** The conventions this instance follows. */
  public SemanticConventions conventions() {
    return conventions;
  }

  @Override
  public String toString() {
    return "CourierOpenTelemetry{" + conventions + ", maxMethods=" + maxMethods + "}";
  }

  /** Configures a {@link CourierOpenTelemetry}. Not thread-safe. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private SemanticConventions conventions = SemanticConventions.fromEnvironment();
    private int maxMethods = OpenTelemetryListener.DEFAULT_MAX_METHODS;
    private LongSupplier nanoClock = System::nanoTime;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /** Which semantic conventions to follow; default {@link SemanticConventions#fromEnvironment()}. */
    public Builder semanticConventions(SemanticConventions conventions) {
      this.conventions = Objects.requireNonNull(conventions, "conventions");
      return this;
    }

    /** Method names metrics record as they are before {@code _OTHER}; default {@value OpenTelemetryListener#DEFAULT_MAX_METHODS}. */
    public Builder maxMethods(int maxMethods) {
      if (maxMethods < 1) {
        throw new IllegalArgumentException("maxMethods: " + maxMethods + " (expected: >= 1)");
      }
      this.maxMethods = maxMethods;
      return this;
    }

    /** The clock server durations are measured with; default {@code System::nanoTime}. */
    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
      return this;
    }

    public CourierOpenTelemetry build() {
      return new CourierOpenTelemetry(this);
    }
  }
}
