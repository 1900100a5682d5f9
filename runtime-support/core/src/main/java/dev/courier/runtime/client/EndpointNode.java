package dev.courier.runtime.client;

import dev.courier.runtime.balance.Node;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.Retryability;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One endpoint of a client: its channel, its load (in-flight calls, the {@link LatencyEstimate})
 * and its passive health ({@link PassiveHealth}: ejection, one probe at a time, slow start through
 * a {@link SlowStartRamp}). Thread-safe; load figures are approximate under races; health
 * transitions are serialised on the node.
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
  /** How long a node whose ejection ended waits for its channel to connect before that counts as a failed probe. */
  static final long CONNECT_WAIT_NANOS = 250_000_000L;

  private volatile Endpoint endpoint;
  private final ManagedChannel channel;
  private final LongSupplier nanoClock;
  private final PassiveHealth health;
  private final ClusterLatency cluster;
  private final CourierListener listener;
  private final LatencyEstimate latency = new LatencyEstimate();
  private final SlowStartRamp ramp;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Unary attempts in flight (streams run long and are left out of the stall). */
  private final AtomicInteger unaryInFlight = new AtomicInteger();
  /** When a unary attempt last finished here, or the first one started after none was in flight. */
  private volatile long progressAt;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  // Written under this, read without it.
  private volatile boolean ejected;
  private volatile long ejectedUntil;
  private volatile boolean probeOut;
  private volatile long probeAt;
  private volatile boolean probeStarted;
  private int ejections; // guarded by this
  private volatile long ejectionsTotal; // written under this
  private long probedAfter; // guarded by this: the ejection whose end already reset the connect backoff
  /** The ejection at whose end the node waits for its connection ({@link #connected}), and since when. */
  private long connectingFor; // guarded by this
  private long connectingSince; // guarded by this

  /** @param cluster what the other endpoints measure: where this one's estimate starts and drifts to */
  EndpointNode(Endpoint endpoint, ManagedChannel channel, LongSupplier nanoClock, PassiveHealth health,
      CourierListener listener, ClusterLatency cluster) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.nanoClock = nanoClock;
    this.health = health;
    this.listener = listener;
    this.cluster = cluster;
    this.ramp = new SlowStartRamp(nanoClock, health.slowStart().toNanos());
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
    long now = nanoClock.getAsLong();
    long estimate = latency.at(now, cluster.fastest(this, now));
    if (estimate == 0) {
      return 0;
    }
    return unaryInFlight.get() > 0 ? Math.max(estimate, now - progressAt) : estimate;
  }

  /** The estimate as of the last sample, without the stall or forgetting; 0 when unknown. */
  long lastEstimateNanos() {
    return latency.lastNanos();
  }

  /**
   * The estimate an attempt starting at {@code now} is expected to take, for its {@link #onFinish}:
   * its sample counts as at most {@link LatencyEstimate#OUTLIER_FACTOR} times this. 0 when unknown.
   */
  long expectedNanos(long now) {
    return latency.at(now, cluster.fastest(this, now));
  }

  /**
   * Joins a set that already serves at {@code now}: the node takes its probe first, then ramps up
   * from the probe's success (see the class comment). Called once, before any call can pick it.
   */
  synchronized void join(long now) {
    ejected = true;
    ejectedUntil = now;
    probeOut = false;
  }

  /**
   * {@link PassiveHealth#SLOW_START_FLOOR} right after a recovery or a join, growing linearly to 1 over
   * {@link PassiveHealth#slowStart()}; 1 otherwise. Reads the clock only while it ramps.
   */
  @Override
  public double admission() {
    return ramp.admission();
  }

  /**
   * Whether the node may take calls at {@code now}: never ejected; or its ejection is over and no
   * probe is out. A probe counts as out until it finishes, for at most {@link
   * PassiveHealth#maxEjection()}; one that has not started ({@link #onStart}) within {@link
   * PassiveHealth#baseEjection()} counts as never sent.
   */
  boolean healthy(long now) {
    if (!ejected) {
      return true;
    }
    return now - ejectedUntil >= 0 && !probeHeld(now) && connected(now);
  }

  /**
   * Whether the channel can carry the probe (its ejection is over): a probe sent while grpc has no
   * connection to the endpoint fails at once without reaching it (grpc's channel stays in
   * TRANSIENT_FAILURE until a reconnect succeeds, and its reconnect backoff keeps growing while
   * the endpoint is down), so it would prove nothing and eject the endpoint again for a longer
   * interval, for seconds after the endpoint is back. So when an ejection ends without a
   * connection, grpc's backoff is reset (it reconnects now) and the endpoint takes no call until
   * the connection is ready; when it is not ready within {@value #CONNECT_WAIT_NANOS} ns, that
   * counts as a failed probe and ejects for the next interval. A channel that is idle connects
   * for its first call, and one that reports no state is taken as connected.
   */
  private boolean connected(long now) {
    ConnectivityState state = channelState();
    if (state == ConnectivityState.READY || state == ConnectivityState.IDLE) {
      return true;
    }
    boolean reset;
    synchronized (this) {
      if (!ejected || now - ejectedUntil < 0 || probeHeld(now)) {
        return false;
      }
      if (connectingFor != ejectedUntil) {
        connectingFor = ejectedUntil;
        connectingSince = now;
        reset = probedAfter != ejectedUntil;
        probedAfter = ejectedUntil;
      } else {
        reset = false;
        if (now - connectingSince >= CONNECT_WAIT_NANOS) {
          eject(now);
          return false;
        }
      }
    }
    if (reset) {
      channel.resetConnectBackoff();
    }
    return false;
  }

  private ConnectivityState channelState() {
    try {
      return channel.getState(false);
    } catch (UnsupportedOperationException e) {
      return ConnectivityState.READY;
    }
  }

  /** {@code "healthy"}, {@code "slow start"}, {@code "ejected"} or {@code "probing"} at {@code now}, for the status page. */
  String healthState(long now) {
    if (!ejected) {
      return ramp.ramping() ? "slow start" : "healthy";
    }
    if (now - ejectedUntil < 0) {
      return "ejected";
    }
    return probeHeld(now) ? "probing" : "probe due";
  }

  /** Whether the node is ejected now, or a probe is out. */
  boolean ejected(long now) {
    return !healthy(now);
  }

  private boolean probeHeld(long now) {
    if (!probeOut) {
      return false;
    }
    long age = now - probeAt;
    return age < (probeStarted ? health.maxEjection() : health.baseEjection()).toNanos();
  }

  /** A stream started on the node. */
  void onStart() {
    inFlight.incrementAndGet();
    if (probeOut && !probeStarted) {
      probeStarted = true;
    }
  }

  /** A unary attempt started on the node at {@code now} (its {@code startedAt}). */
  void onStart(long now) {
    if (unaryInFlight.getAndIncrement() == 0) {
      progressAt = now;
    }
    onStart();
  }

  /**
   * Called before an attempt on this node is started, with the attempt's start time (the {@code
   * startedAt} its {@link #onFinish} receives). After an ejection the first such attempt takes the
   * probe slot; other calls see the node as unhealthy until the probe finishes. (Picking and taking
   * the slot are two steps: a call that picked the node just before the slot was taken still
   * runs, as an ordinary call.)
   *
   * <p>The probe must reach the replica: grpc's own reconnect backoff keeps growing while a
   * replica is down and would make the probe fail at once, for seconds after the replica is back.
   * The first probe after each ejection therefore resets that backoff; ejection intervals already
   * pace the probes, so this cannot turn into a reconnect storm.
   *
   * @return whether this attempt took the probe slot
   */
  boolean beforeAttempt(long now) {
    if (!ejected || now - ejectedUntil < 0) {
      return false;
    }
    boolean resetBackoff;
    synchronized (this) {
      if (!ejected || now - ejectedUntil < 0 || probeHeld(now)) {
        return false;
      }
      probeOut = true;
      probeAt = now;
      probeStarted = false;
      resetBackoff = probedAfter != ejectedUntil;
      probedAfter = ejectedUntil;
    }
    if (resetBackoff) {
      channel.resetConnectBackoff();
    }
    return true;
  }

  /**
   * Records the end of a stream: load and health, but no latency sample (streams run long). A
   * stream carries no start time, so one that ends while a probe is out counts as the probe.
   */
  long onStreamFinish(Status.Code code, long now) {
    inFlight.decrementAndGet();
    boolean probe = probeOut;
    return outcome(code, now, probe, probeAt, false);
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
    if (!ejected) {
      long typical = latency.cold() ? cluster.typical(this) : 0;
      latency.observe(now - startedAt, Retryability.isServerFault(code), expectedNanos, now, typical,
          cluster.fastest(this, now));
    }
    return outcome(code, now, probeOut && probeAt == startedAt, startedAt,
        neverReached && code == Status.Code.UNAVAILABLE);
  }

  /** Health after an attempt: {@code probe} when it held the probe slot taken at {@code probeToken}. */
  private long outcome(Status.Code code, long now, boolean probe, long probeToken, boolean refused) {
    if (Retryability.isServerFault(code)) {
      return onFailure(now, probe, probeToken, refused);
    } else if (code != Status.Code.CANCELLED) {
      onSuccess(now);
    } else if (probe) {
      synchronized (this) {
        if (probeOut && probeAt == probeToken) {
          probeOut = false;
        }
      }
    }
    return 0;
  }

  private void onSuccess(long now) {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    if (ejected) {
      synchronized (this) {
        if (!ejected) {
          return;
        }
        ejected = false;
        probeOut = false;
        ejections = 0;
        ramp.start(now);
      }
    }
  }

  /**
   * Ejects after {@code failureThreshold} failures in a row, unless an ejection runs; a failed
   * probe ejects at once for the next interval.
   */
  private long onFailure(long now, boolean probe, long probeToken, boolean refused) {
    int failures = consecutiveFailures.incrementAndGet();
    boolean enough = refused || failures >= health.failureThreshold();
    if (!probe && (!enough || inEjection(now))) {
      return 0;
    }
    synchronized (this) {
      boolean probeFailed = probe && probeOut && probeAt == probeToken;
      if (!probeFailed && (!enough || inEjection(now))) {
        return 0;
      }
      return eject(now);
    }
  }

  /** Ejects for the next interval from {@code now}; returns it, in ns. Called with the lock held. */
  private long eject(long now) {
    long base = health.baseEjection().toNanos();
    long interval = Math.min(health.maxEjection().toNanos(), base << Math.min(ejections, 30));
    ejections++;
    ejectionsTotal++;
    ejectedUntil = now + interval;
    ejected = true;
    probeOut = false;
    latency.forget();
    ramp.stop();
    listener.onEjection(endpoint.authority(), interval);
    return interval;
  }


  /** Ejections since the node was created (the status page shows them). */
  long ejectionsTotal() {
    return ejectionsTotal;
  }

  /** One line per ejection, joined to the trace of the attempt that caused it ({@code suffix}). */
  static void logEjection(String authority, long nanos, String suffix) {
    LOG.log(Level.INFO, "ejected " + authority + " for " + nanos / 1_000_000 + " ms after repeated failures" + suffix);
  }

  /** Whether an ejection interval covers {@code now} (a probe may be out after it). */
  private boolean inEjection(long now) {
    return ejected && now - ejectedUntil < 0;
  }

  @Override
  public String toString() {
    return endpoint.authority();
  }
}
