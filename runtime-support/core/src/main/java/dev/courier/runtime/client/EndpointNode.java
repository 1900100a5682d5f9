package dev.courier.runtime.client;

import dev.courier.runtime.balance.Node;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.Retryability;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One endpoint of a client, as balancers see it: its channel, its load (calls in flight, the
 * {@link LatencyEstimate}), its passive health ({@link EndpointHealth}: ejection, one probe at a
 * time) and its slow start ({@link SlowStartRamp}). Thread-safe; load figures are approximate
 * under races.
 *
 * <p>The latency a balancer reads ({@link #latencyNanos()}) is the estimate, except while unary
 * attempts are in flight and none has finished for longer than the estimate (a replica that hangs,
 * or one retried after its estimate was forgotten while it is still slow): then the time since the
 * last one finished is the latency. A hung replica stops winning picks within a millisecond or two
 * instead of taking calls until the first of them times out. Which failures count against the
 * endpoint is {@link Retryability#isServerFault}.
 *
 * <p>An ejection forgets the estimate, and attempts that end while the node is ejected or waiting
 * for its probe leave it unknown (0): what they measured were failures. So when the ejection ends,
 * balancers that score on latency compare the node on its calls in flight alone and send it its
 * probe soon, instead of passing it over until an estimate inflated by failures has faded; once the
 * probe succeeds, the node starts again from the cluster's estimate.
 *
 * <p>An endpoint that joins a set that already serves ({@link #join}) is treated like one whose
 * ejection just ended: one probe, and the slow-start ramp from the probe's success. A new replica
 * (a fresh JVM) that needs a while to answer its first call therefore holds one caller meanwhile,
 * not its share of them, and its ramp is not spent before it can serve.
 */
final class EndpointNode implements Node {
  private static final System.Logger LOG = System.getLogger(EndpointNode.class.getName());

  private volatile Endpoint endpoint;
  private final ManagedChannel channel;
  private final LongSupplier nanoClock;
  private final ClusterLatency cluster;
  private final LatencyEstimate latency = new LatencyEstimate();
  private final SlowStartRamp ramp;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Unary attempts in flight (streams run long and are left out of the stall). */
  private final AtomicInteger unaryInFlight = new AtomicInteger();
  /** When a unary attempt last finished here, or the first one started after none was in flight. */
  private volatile long progressAt;
  private final EndpointHealth health;

  /** @param cluster what the other endpoints measure: where this one's estimate starts and drifts to */
  EndpointNode(Endpoint endpoint, ManagedChannel channel, LongSupplier nanoClock, PassiveHealth health,
      CourierListener listener, ClusterLatency cluster) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.nanoClock = nanoClock;
    this.cluster = cluster;
    this.ramp = new SlowStartRamp(nanoClock, health.slowStart().toNanos());
    this.health = new EndpointHealth(health, channel, this::endpoint, listener, ramp, latency);
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

  /**
   * The estimate now; while unary attempts are in flight, what they are expected to take ({@link
   * #expectedNanos}), or the time since the last one finished when that is longer (the stall). So
   * an endpoint whose estimate drifted down while it got no calls takes one call, judged on the
   * drift, and is judged again on what it last showed until that call answers: a replica that is
   * still slow costs one call per retry instead of the several that would win their picks before
   * the stall shows.
   */
  @Override
  public long latencyNanos() {
    long now = nanoClock.getAsLong();
    if (unaryInFlight.get() == 0) {
      return latency.at(now, cluster.fastest(this, now));
    }
    long expected = expectedNanos(now);
    return expected == 0 ? 0 : Math.max(expected, now - progressAt);
  }

  /** The estimate as of the last sample, without the stall or forgetting; 0 when unknown. */
  long lastEstimateNanos() {
    return latency.lastNanos();
  }

  /**
   * What an attempt starting at {@code now} is expected to take, for its {@link #onFinish}: the
   * larger of the estimate now and the last measured one. Its sample counts as at most {@link
   * LatencyEstimate#OUTLIER_FACTOR} times this. Against the last measured estimate too, because
   * an estimate that drifted down while the endpoint got no calls is a guess: the answer of the
   * call that tries the endpoint again is measured against what the endpoint last showed, so a
   * replica that is still slow shows it at once, and is retried less often. 0 when unknown.
   */
  long expectedNanos(long now) {
    return Math.max(latency.at(now, cluster.fastest(this, now)), latency.lastNanos());
  }

  /**
   * Joins a set that already serves at {@code now}: the node takes its probe first, then ramps up
   * from the probe's success (see the class comment). Called once, before any call can pick it.
   */
  void join(long now) {
    health.probeFirst(now);
  }

  /**
   * {@link PassiveHealth#SLOW_START_FLOOR} right after a recovery or a join, growing linearly to 1 over
   * {@link PassiveHealth#slowStart()}; 1 otherwise. Reads the clock only while it ramps.
   */
  @Override
  public double admission() {
    return ramp.admission();
  }

  /** In slow start: the ramp, then twice as long again at a full share ({@link SlowStartRamp#warming()}). */
  @Override
  public boolean warming() {
    return ramp.warming();
  }

  /** Whether the node may take calls at {@code now} ({@link EndpointHealth#healthy}). */
  boolean healthy(long now) {
    return health.healthy(now);
  }

  /** {@code "healthy"}, {@code "slow start"}, {@code "ejected"}, {@code "probing"} or {@code "probe due"} at {@code now}, for the status page. */
  String healthState(long now) {
    String ejection = health.ejectionState(now);
    if (ejection != null) {
      return ejection;
    }
    return ramp.warming() ? "slow start" : "healthy";
  }

  /** Whether the node is ejected now, or a probe is out. */
  boolean ejected(long now) {
    return !healthy(now);
  }

  /** A stream started on the node. */
  void onStart() {
    inFlight.incrementAndGet();
    health.onStart();
  }

  /** A unary attempt started on the node at {@code now} (its {@code startedAt}). */
  void onStart(long now) {
    if (unaryInFlight.getAndIncrement() == 0) {
      progressAt = now;
    }
    onStart();
  }

  /**
   * Called before an attempt on this node is started at {@code now} (the {@code startedAt} its
   * {@link #onFinish} receives); whether it took the probe slot ({@link EndpointHealth#beforeAttempt}).
   */
  boolean beforeAttempt(long now) {
    return health.beforeAttempt(now);
  }

  /**
   * Records the end of a stream: load and health, but no latency sample (streams run long). A
   * stream carries no start time, so one that ends while a probe is out counts as the probe.
   */
  long onStreamFinish(Status.Code code, long now) {
    inFlight.decrementAndGet();
    return health.afterStream(code, now);
  }

  /**
   * Records the end of a unary attempt that started at {@code startedAt}; returns how long the
   * endpoint is now ejected for, in ns, when this attempt ejected it, else 0.
   */
  long onFinish(long startedAt, Status.Code code, long now) {
    return onFinish(startedAt, 0, code, now, false);
  }

  /**
   * {@link #onFinish(long, Status.Code, long)} for an attempt that was expected to take {@code
   * expectedNanos} ({@link #expectedNanos}, 0 for unknown) and that, when {@code neverReached},
   * surely never reached a server: an {@code UNAVAILABLE} of that kind (a refused or reset
   * connection) ejects at once, since a replica that refuses connections is down, and under
   * {@code LEAST_LOADED} it would otherwise get too few picks to fail the threshold's times in a
   * row and would never be probed back through slow start.
   */
  long onFinish(long startedAt, long expectedNanos, Status.Code code, long now, boolean neverReached) {
    progressAt = now;
    unaryInFlight.decrementAndGet();
    inFlight.decrementAndGet();
    if (!health.ejected()) {
      long typical = latency.cold() ? cluster.typical(this) : 0;
      latency.observe(now - startedAt, Retryability.isServerFault(code), expectedNanos, now, typical);
    }
    return health.afterAttempt(startedAt, code, now, neverReached && code == Status.Code.UNAVAILABLE);
  }

  /** Ejections since the node was created (the status page shows them). */
  long ejectionsTotal() {
    return health.ejectionsTotal();
  }

  /** One line per ejection, joined to the trace of the attempt that caused it ({@code suffix}). */
  static void logEjection(String authority, long nanos, String suffix) {
    LOG.log(Level.INFO, "ejected " + authority + " for " + nanos / 1_000_000 + " ms after repeated failures" + suffix);
  }

  @Override
  public String toString() {
    return endpoint.authority();
  }
}
