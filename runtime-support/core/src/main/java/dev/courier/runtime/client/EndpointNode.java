package dev.courier.runtime.client;

import dev.courier.runtime.balance.Node;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.Retryability;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One endpoint of a client: its channel, its load (in-flight calls, latency) and its passive
 * health. Thread-safe; load figures are approximate under races (a lost EWMA update is harmless).
 *
 * <p>Latency is an EWMA that moves a quarter of the way to each sample (the first sample is taken
 * as is): one hiccup of a fast replica fades within a few calls, while a replica that is always
 * slow keeps its estimate. An estimate that got no sample for {@value #DECAY_START_NANOS} ns fades
 * with a half-life of {@value #HALF_LIFE_NANOS} ns, so a replica that was slow is tried again now
 * and then and can win back its traffic. A failed attempt counts as at least twice the estimate
 * (and at least 1 ms), so a replica that fails fast does not look fast. Which failures count
 * against the endpoint is {@link Retryability#isServerFault}.
 */
final class EndpointNode implements Node {
  static final long DECAY_START_NANOS = 500_000_000L;
  static final long HALF_LIFE_NANOS = 1_000_000_000L;
  private static final long MIN_FAILURE_SAMPLE_NANOS = 1_000_000L;

  private volatile Endpoint endpoint;
  private final ManagedChannel channel;
  private final LongSupplier nanoClock;
  private final PassiveHealth health;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long latencyNanos;
  private volatile long lastSampleAt;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean ejected;
  private volatile long ejectedUntil;
  private int ejections; // guarded by this
  private long probedAfter; // guarded by this: the ejection whose end was already probed

  private final CourierListener listener;

  EndpointNode(Endpoint endpoint, ManagedChannel channel, LongSupplier nanoClock, PassiveHealth health,
      CourierListener listener) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.nanoClock = nanoClock;
    this.health = health;
    this.listener = listener;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  void update(Endpoint newEndpoint) {
    endpoint = newEndpoint;
  }

  ManagedChannel channel() {
    return channel;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public long latencyNanos() {
    long estimate = latencyNanos;
    if (estimate == 0) {
      return 0;
    }
    long idle = nanoClock.getAsLong() - lastSampleAt;
    if (idle < DECAY_START_NANOS) {
      return estimate;
    }
    return (long) (estimate * Math.pow(0.5, (double) idle / HALF_LIFE_NANOS));
  }

  /** Whether the node may take calls at {@code now}: never ejected, or its ejection is over. */
  boolean healthy(long now) {
    return !ejected || now - ejectedUntil >= 0;
  }

  /** Whether the node is ejected now. */
  boolean ejected(long now) {
    return !healthy(now);
  }

  void onStart() {
    inFlight.incrementAndGet();
  }

  /**
   * Called before an attempt on this node is started. The first attempt after an ejection ends is
   * the probe that may bring the replica back, so it must reach the replica: grpc's own reconnect
   * backoff keeps growing while a replica is down and would make the probe fail at once, for
   * seconds after the replica is back. The probe therefore resets that backoff; ejection intervals
   * already pace the probes, so this cannot turn into a reconnect storm.
   */
  void beforeAttempt(long now) {
    if (!ejected || !healthy(now)) {
      return;
    }
    synchronized (this) {
      if (!ejected || probedAfter == ejectedUntil) {
        return;
      }
      probedAfter = ejectedUntil;
    }
    channel.resetConnectBackoff();
  }

  /** Records the end of a stream: load and health, but no latency sample (streams run long). */
  void onStreamFinish(Status.Code code, long now) {
    inFlight.decrementAndGet();
    if (Retryability.isServerFault(code)) {
      onFailure(now);
    } else if (code != Status.Code.CANCELLED) {
      onSuccess();
    }
  }

  /** Records the end of a unary attempt that started at {@code startedAt}. */
  void onFinish(long startedAt, Status.Code code, long now) {
    inFlight.decrementAndGet();
    long sample = Math.max(now - startedAt, 1);
    boolean fault = Retryability.isServerFault(code);
    if (fault) {
      sample = Math.max(sample, Math.max(2 * latencyNanos, MIN_FAILURE_SAMPLE_NANOS));
      onFailure(now);
    } else if (code != Status.Code.CANCELLED) {
      onSuccess();
    }
    long estimate = latencyNanos;
    latencyNanos = estimate == 0 ? sample : estimate + ((sample - estimate) >> 2);
    lastSampleAt = now;
  }

  private void onSuccess() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    if (ejected) {
      synchronized (this) {
        ejected = false;
        ejections = 0;
      }
    }
  }

  private void onFailure(long now) {
    int failures = consecutiveFailures.incrementAndGet();
    if (failures < health.failureThreshold() || !healthy(now)) {
      return;
    }
    synchronized (this) {
      if (!healthy(now)) {
        return;
      }
      long base = health.baseEjection().toNanos();
      long interval = Math.min(health.maxEjection().toNanos(), base << Math.min(ejections, 30));
      ejections++;
      ejectedUntil = now + interval;
      ejected = true;
      listener.onEjection(endpoint.authority(), interval);
    }
  }

  @Override
  public String toString() {
    return endpoint.authority();
  }
}
