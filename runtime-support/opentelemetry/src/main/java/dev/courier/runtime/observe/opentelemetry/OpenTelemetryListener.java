package dev.courier.runtime.observe.opentelemetry;

import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.retry.StopReason;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Courier's events as OpenTelemetry metrics, recorded through a {@link Meter} of the user's
 * {@link OpenTelemetry} (instrumentation scope {@value #SCOPE}). Register it with {@code
 * ClientBuilder.listener(new OpenTelemetryListener(openTelemetry))}, or on a queue client or worker;
 * {@link CourierOpenTelemetry#listener()} gives it together with tracing.
 *
 * <table>
 *   <caption>Instruments</caption>
 *   <tr><th>name</th><th>instrument</th><th>unit</th><th>attributes</th><th>recorded when</th></tr>
 *   <tr><td>{@code rpc.client.call.duration} (stable), {@code rpc.client.duration} (old)</td>
 *       <td>histogram (double)</td><td>{@code s} (stable), {@code ms} (old)</td>
 *       <td>S, M, C</td><td>a unary call ends, every attempt, backoff and hedge included; a
 *       client-, server- or bidi-streaming call closes (open to close)</td></tr>
 *   <tr><td>{@code courier.client.attempts}</td><td>counter</td><td>{@code {attempt}}</td>
 *       <td>S, M, C</td><td>an attempt ends, hedges included</td></tr>
 *   <tr><td>{@code courier.client.retries}</td><td>counter</td><td>{@code {retry}}</td>
 *       <td>S, M</td><td>another attempt is scheduled after a failure</td></tr>
 *   <tr><td>{@code courier.client.hedges}</td><td>counter</td><td>{@code {hedge}}</td>
 *       <td>S, M</td><td>a hedged attempt starts</td></tr>
 *   <tr><td>{@code courier.client.budget.exhausted}</td><td>counter</td><td>{@code {refusal}}</td>
 *       <td>S, M</td><td>a retry or hedge is refused because the retry budget is spent</td></tr>
 *   <tr><td>{@code courier.client.ejections}</td><td>counter</td><td>{@code {ejection}}</td>
 *       <td>none</td><td>an endpoint is ejected by passive health</td></tr>
 *   <tr><td>{@code courier.queue.events}</td><td>counter</td><td>{@code {event}}</td>
 *       <td>M, E</td><td>something happens to a queue-backed call ({@link QueueEvent})</td></tr>
 * </table>
 *
 * <p>Attributes follow OpenTelemetry's RPC semantic conventions in the version {@link
 * SemanticConventions} chooses (S: the system, M: the method, C: the status code); E is {@code
 * courier.queue.event}, the {@link QueueEvent}'s name in lower case ({@code sent}, {@code
 * dead_lettered}, ...). Server calls are measured by {@link CourierOpenTelemetry#serverInterceptor()}.
 *
 * <p>Cardinality is bounded: no endpoint, peer, request or stop reason is ever an attribute. At most
 * {@code maxMethods} distinct method names are recorded as they are (default {@value
 * #DEFAULT_MAX_METHODS}, which keeps the worst case of the largest instrument within the SDK's
 * default limit of 2000 points); later ones are recorded as {@code rpc.method = _OTHER}, as the
 * semantic conventions ask for methods an instrumentation does not recognize.
 *
 * <p>The duration histograms advise explicit bucket boundaries from 5 ms to 10 s; a view in the
 * SDK overrides them.
 *
 * <p>Thread-safe, and it does not block. One instance can serve any number of clients, queue
 * clients and workers.
 */
public final class OpenTelemetryListener implements CourierListener {
  /** The instrumentation scope name of the {@link Meter} this listener gets from an {@link OpenTelemetry}. */
  public static final String SCOPE = "dev.courier.runtime.observe.opentelemetry";
  /** Distinct method names recorded as they are, unless a constructor says otherwise. */
  public static final int DEFAULT_MAX_METHODS = 100;

  static final AttributeKey<String> RPC_SYSTEM_NAME = RpcAttributes.RPC_SYSTEM_NAME;
  static final AttributeKey<String> RPC_METHOD = RpcAttributes.RPC_METHOD;
  static final AttributeKey<String> RPC_RESPONSE_STATUS_CODE = RpcAttributes.RPC_RESPONSE_STATUS_CODE;
  static final AttributeKey<String> QUEUE_EVENT = AttributeKey.stringKey("courier.queue.event");
  static final String OTHER_METHOD = AttributeCache.OTHER_METHOD;
  static final List<Double> DURATION_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private static final QueueEvent[] QUEUE_EVENTS = QueueEvent.values();

  private final Durations callDuration;
  private final LongCounter attempts;
  private final LongCounter retries;
  private final LongCounter hedges;
  private final LongCounter budgetExhausted;
  private final LongCounter ejections;
  private final LongCounter queueEvents;
  private final int maxMethods;
  private final AttributeCache attributes;
  private final ConcurrentMap<String, Attributes[]> queueAttributes = new ConcurrentHashMap<>();

  /** Records through {@code openTelemetry}'s meter for scope {@value #SCOPE}. */
  public OpenTelemetryListener(OpenTelemetry openTelemetry) {
    this(Objects.requireNonNull(openTelemetry, "openTelemetry").getMeter(SCOPE));
  }

  /** Records through {@code meter}, with at most {@value #DEFAULT_MAX_METHODS} method names. */
  public OpenTelemetryListener(Meter meter) {
    this(meter, DEFAULT_MAX_METHODS);
  }

  /**
   * Records through {@code meter}; the first {@code maxMethods} distinct method names are recorded
   * as they are, later ones as {@code _OTHER}. The conventions are {@link SemanticConventions#fromEnvironment()}.
   */
  public OpenTelemetryListener(Meter meter, int maxMethods) {
    this(meter, maxMethods, SemanticConventions.fromEnvironment());
  }

  /** Records through {@code meter} under {@code conventions}; see {@link #OpenTelemetryListener(Meter, int)}. */
  public OpenTelemetryListener(Meter meter, int maxMethods, SemanticConventions conventions) {
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(conventions, "conventions");
    if (maxMethods < 1) {
      throw new IllegalArgumentException("maxMethods: " + maxMethods + " (expected: >= 1)");
    }
    this.maxMethods = maxMethods;
    this.attributes = new AttributeCache(conventions, "grpc", maxMethods, true);
    callDuration = Durations.client(meter, conventions);
    attempts = counter(meter, "courier.client.attempts", "{attempt}", "Attempts of unary calls, hedges included");
    retries = counter(meter, "courier.client.retries", "{retry}", "Attempts scheduled again after a failure");
    hedges = counter(meter, "courier.client.hedges", "{hedge}", "Hedged attempts started");
    budgetExhausted = counter(meter, "courier.client.budget.exhausted", "{refusal}",
        "Retries or hedges refused because the retry budget was spent");
    ejections = counter(meter, "courier.client.ejections", "{ejection}",
        "Endpoints ejected by passive health after repeated failures");
    queueEvents = counter(meter, "courier.queue.events", "{event}", "What happened to queue-backed calls");
  }

  private static LongCounter counter(Meter meter, String name, String unit, String description) {
    return meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
  }

  @Override
  public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
    if (hedged) {
      hedges.add(1, attributes.get(method).rpc);
    }
  }

  @Override
  public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
    attempts.add(1, attributes.get(method).status(code));
  }

  @Override
  public void onRetry(String method, int nextAttempt, long backoffNanos) {
    retries.add(1, attributes.get(method).rpc);
  }

  @Override
  public void onBudgetExhausted(String method) {
    budgetExhausted.add(1, attributes.get(method).rpc);
  }

  @Override
  public void onEjection(String endpoint, long nanos) {
    ejections.add(1);
  }

  @Override
  public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
    callDuration.record(nanos, attributes.get(method).status(code));
  }

  /**
   * A stream's whole life, open to close, in the same histogram as unary calls: the conventions
   * define no attribute for the call's type, and one method has one type, so no series mixes them.
   */
  @Override
  public void onStreamEnd(String method, MethodDescriptor.MethodType type, Status.Code code, long nanos) {
    callDuration.record(nanos, attributes.get(method).status(code));
  }

  @Override
  public void onQueueEvent(String method, QueueEvent event) {
    String name = attributes.get(method).method;
    queueEvents.add(1, queueAttributes.computeIfAbsent(name, OpenTelemetryListener::queueAttributes)[event.ordinal()]);
  }

  private static Attributes[] queueAttributes(String method) {
    Attributes[] byEvent = new Attributes[QUEUE_EVENTS.length];
    for (QueueEvent event : QUEUE_EVENTS) {
      byEvent[event.ordinal()] = Attributes.of(RPC_METHOD, method, QUEUE_EVENT, event.name().toLowerCase(Locale.ROOT));
    }
    return byEvent;
  }

  @Override
  public String toString() {
    return "OpenTelemetryListener{maxMethods=" + maxMethods + ", methods=" + attributes.size() + "}";
  }
}
