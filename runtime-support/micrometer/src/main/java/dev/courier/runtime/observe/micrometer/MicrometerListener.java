package dev.courier.runtime.observe.micrometer;

import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.retry.StopReason;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Courier's events as Micrometer meters; the {@code courier-micrometer} artifact brings {@code
 * micrometer-core}. Names and tags follow Micrometer's own gRPC convention where it has one (its
 * {@code DefaultGrpcClientObservationConvention}: a {@code grpc.client} timer with {@code
 * rpc.service}, {@code rpc.method}, {@code rpc.type}, {@code grpc.status_code}), and the names of
 * {@code courier-opentelemetry}'s counters otherwise:
 *
 * <ul>
 *   <li>{@code grpc.client} timer, tags {@code rpc.service}, {@code rpc.method} (the method's
 *       simple name), {@code rpc.type} ({@code UNARY}, {@code SERVER_STREAMING}, ...), {@code
 *       grpc.status_code} (the code's name): whole unary calls, every attempt, backoff and hedge
 *       included, and streams from open to close;
 *   <li>{@code courier.client.attempts} counter, tags {@code rpc.service}, {@code rpc.method},
 *       {@code grpc.status_code}: attempts as they end, hedges included;
 *   <li>{@code courier.client.retries}, {@code courier.client.hedges} and {@code
 *       courier.client.budget.exhausted} counters, tags {@code rpc.service}, {@code rpc.method};
 *   <li>{@code courier.client.ejections} counter, tag {@code endpoint};
 *   <li>{@code courier.queue.events} counter, tags {@code rpc.service}, {@code rpc.method},
 *       {@code event} ({@code sent}, {@code dead_lettered}, ...).
 * </ul>
 *
 * <p>No meter is tagged with a {@link StopReason}: that would multiply the call timers by five for
 * what the status code mostly says already. Server calls: {@link #serverInterceptor()} records the
 * {@code grpc.server} timer by the same convention.
 *
 * <p>Thread-safe: Micrometer caches meters by name and tags, and each method's tags are built once.
 */
public final class MicrometerListener implements CourierListener {
  private final MeterRegistry registry;
  private final MethodTags methodTags = new MethodTags();

  public MicrometerListener(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * For {@code CourierServer.Builder.intercept(...)}: the {@code grpc.server} timer of every call
   * the server handles, streams included, in the same registry, with the tags of Micrometer's
   * {@code DefaultGrpcServerObservationConvention} ({@code rpc.service}, {@code rpc.method}, {@code
   * rpc.type}, {@code grpc.status_code}, and {@code error} as Micrometer's observation handler adds
   * it).
   */
  public ServerInterceptor serverInterceptor() {
    return new ServerCallTimer(registry, methodTags);
  }

  private Tags tags(String method) {
    return methodTags.of(method);
  }

  @Override
  public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
    if (hedged) {
      Counter.builder("courier.client.hedges").description("Hedged attempts started")
          .tags(tags(method)).register(registry).increment();
    }
  }

  @Override
  public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
    Counter.builder("courier.client.attempts")
        .description("Attempts of unary calls, hedges included")
        .tags(tags(method)).tag("grpc.status_code", code.name())
        .register(registry)
        .increment();
  }

  @Override
  public void onRetry(String method, int nextAttempt, long backoffNanos) {
    Counter.builder("courier.client.retries").description("Attempts scheduled again after a failure")
        .tags(tags(method)).register(registry).increment();
  }

  @Override
  public void onBudgetExhausted(String method) {
    Counter.builder("courier.client.budget.exhausted")
        .description("Retries or hedges refused because the retry budget was spent")
        .tags(tags(method))
        .register(registry)
        .increment();
  }

  @Override
  public void onEjection(String endpoint, long nanos) {
    Counter.builder("courier.client.ejections").description("Endpoints ejected by passive health")
        .tag("endpoint", endpoint).register(registry).increment();
  }

  @Override
  public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
    clientTimer(method, MethodDescriptor.MethodType.UNARY, code, nanos);
  }

  @Override
  public void onStreamEnd(String method, MethodDescriptor.MethodType type, Status.Code code, long nanos) {
    clientTimer(method, type, code, nanos);
  }

  /** Micrometer's convention tags {@code rpc.type} with the {@link MethodDescriptor.MethodType}'s name. */
  private void clientTimer(String method, MethodDescriptor.MethodType type, Status.Code code, long nanos) {
    Timer.builder("grpc.client")
        .description("Calls as the client sees them: unary ones with every attempt, streams from open to close")
        .tags(tags(method)).tag("rpc.type", type.name()).tag("grpc.status_code", code.name())
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onQueueEvent(String method, QueueEvent event) {
    Counter.builder("courier.queue.events").description("What happened to queue-backed calls")
        .tags(tags(method)).tag("event", event.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }
}
