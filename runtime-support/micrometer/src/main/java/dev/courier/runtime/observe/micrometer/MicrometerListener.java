package dev.courier.runtime.observe.micrometer;

import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Courier's events as Micrometer meters; the {@code courier-micrometer} artifact brings
 * {@code micrometer-core}. Per method:
 *
 * <ul>
 *   <li>{@code courier.client.calls} timer, tags {@code method}, {@code status} (gRPC code name):
 *       duration of whole calls, every attempt included;
 *   <li>{@code courier.client.attempts} counter, tags {@code method}, {@code status}, {@code hedged};
 *   <li>{@code courier.client.retries} and {@code courier.client.budget.exhausted} counters, tag
 *       {@code method};
 *   <li>{@code courier.client.ejections} counter, tag {@code endpoint};
 *   <li>{@code courier.queue.events} counter, tags {@code method}, {@code event}.
 * </ul>
 *
 * <p>No meter is tagged with a {@link StopReason}: that would multiply the call timers by five for
 * what {@code status} mostly says already.
 *
 * <p>Thread-safe: Micrometer caches meters by name and tags.
 */
public final class MicrometerListener implements CourierListener {
  private final MeterRegistry registry;

  public MicrometerListener(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
    Counter.builder("courier.client.attempts")
        .description("Attempts of unary calls, hedges included")
        .tags("method", method, "status", code.name())
        .register(registry)
        .increment();
  }

  @Override
  public void onRetry(String method, int nextAttempt, long backoffNanos) {
    Counter.builder("courier.client.retries").tag("method", method).register(registry).increment();
  }

  @Override
  public void onBudgetExhausted(String method) {
    Counter.builder("courier.client.budget.exhausted")
        .description("Retries or hedges refused because the retry budget was spent")
        .tag("method", method)
        .register(registry)
        .increment();
  }

  @Override
  public void onEjection(String endpoint, long nanos) {
    Counter.builder("courier.client.ejections").tag("endpoint", endpoint).register(registry).increment();
  }

  @Override
  public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
    Timer.builder("courier.client.calls")
        .description("Unary calls, every attempt included")
        .tags("method", method, "status", code.name())
        .register(registry)
        .record(Duration.ofNanos(nanos).toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onQueueEvent(String method, QueueEvent event) {
    Counter.builder("courier.queue.events")
        .tags("method", method, "event", event.name().toLowerCase(java.util.Locale.ROOT))
        .register(registry)
        .increment();
  }
}
