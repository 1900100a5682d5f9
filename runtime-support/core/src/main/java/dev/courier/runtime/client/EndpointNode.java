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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * One endpoint of a client: its channel, its load (in-flight calls, latency) and its passive
 * health ({@link PassiveHealth}: ejection, one probe at a time, slow start). Thread-safe; load
 * figures are approximate under races (a lost EWMA update is harmless); health transitions are
 * serialised on the node.
 *
 * <p>Latency is an EWMA that moves a quarter of the way to each sample. A new endpoint starts from
 * the cluster's estimate (the median of the other endpoints' estimates when its first sample
 * arrives), so a replica whose first calls were slow, or fast by luck, is not judged on them
 * alone; when no other estimate is known the first sample is taken as is. Its first {@value
 * #WARM_UP_SAMPLES} successful samples count as at most twice the cluster's estimate: a fresh JVM answers
 * its first calls slowly while its code is compiled, and one such call must not make it lose every
 * pick for the seconds its estimate takes to fade (a replica that stays slow still shows after
 * those samples). After them a successful sample counts as at most {@value #OUTLIER_FACTOR} times
 * the estimate, so one hiccup of a fast replica (its calls caught in a GC pause) raises its
 * estimate by three quarters at most, instead of making it lose every pick, while all the
 * calls pile onto the others, until the estimate fades; a replica that turns slow still shows
 * within a few calls (the estimate grows by up to three quarters per call), and the stall rule
 * below covers the calls in flight meanwhile. A replica that is always slow keeps its estimate. An estimate that got no sample for {@value #DECAY_START_NANOS} ns fades
 * with a half-life of {@value #HALF_LIFE_NANOS} ns, so a replica that was slow is tried again now
 * and then and can win back its traffic. While unary attempts are in flight and none has finished
 * for longer than the estimate (a replica that hangs), the time since the last one finished is the
 * estimate: a hung replica stops winning picks within a millisecond or two instead of taking calls
 * until the first of them times out. A failed attempt counts as at least twice the estimate
 * (and at least 1 ms), so a replica that fails fast does not look fast. Which failures count
 * against the endpoint is {@link Retryability#isServerFault}.
 *
 * <p>An ejection forgets the estimate, and attempts that end while the node is ejected or waiting
 * for its probe leave it unknown (0): what they measured were failures. So when the ejection ends,
 * balancers that score on latency compare the node on its calls in flight alone and send it its
 * probe soon, instead of passing it over until an estimate inflated by failures has faded; once the
 * probe succeeds, the node starts again from the cluster's estimate.
 */
final class EndpointNode implements Node {
  private static final System.Logger LOG = System.getLogger(EndpointNode.class.getName());
  static final long DECAY_START_NANOS = 500_000_000L;
  static final long HALF_LIFE_NANOS = 1_000_000_000L;
  private static final long MIN_FAILURE_SAMPLE_NANOS = 1_000_000L;
  /** A successful sample counts as at most this many times the estimate it moves. */
  static final long OUTLIER_FACTOR = 4;
  /** Successful samples of a new endpoint that count as at most twice the estimate they start from. */
  static final int WARM_UP_SAMPLES = 8;
  private static final long NO_RAMP = Long.MIN_VALUE;
  /** How long a node whose ejection ended waits for its channel to connect before that counts as a failed probe. */
  static final long CONNECT_WAIT_NANOS = 250_000_000L;

  private volatile Endpoint endpoint;
  private final ManagedChannel channel;
  private final LongSupplier nanoClock;
  private final PassiveHealth health;
  private final ToLongFunction<EndpointNode> clusterEstimate;
  private final CourierListener listener;
  private final long slowStartNanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Unary attempts in flight (streams run long and are left out of the stall). */
  private final AtomicInteger unaryInFlight = new AtomicInteger();
  /** When a unary attempt last finished here, or the first one started after none was in flight. */
  private volatile long progressAt;
  private volatile long latencyNanos;
  private volatile long lastSampleAt;
  /** Successful samples taken so far, up to {@link #WARM_UP_SAMPLES}. */
  private volatile int warmSamples;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicLong rampStart = new AtomicLong(NO_RAMP);
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

  /**
   * @param clusterEstimate the latency estimate, in ns, of the endpoints other than the given one
   *     (0 when none is known): where a new endpoint's estimate starts
   */
  EndpointNode(Endpoint endpoint, ManagedChannel channel, LongSupplier nanoClock, PassiveHealth health,
      CourierListener listener, ToLongFunction<EndpointNode> clusterEstimate) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.nanoClock = nanoClock;
    this.health = health;
    this.listener = listener;
    this.clusterEstimate = clusterEstimate;
    this.slowStartNanos = health.slowStart().toNanos();
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
    long now = nanoClock.getAsLong();
    long idle = now - lastSampleAt;
    if (idle >= DECAY_START_NANOS) {
      estimate = (long) (estimate * Math.pow(0.5, (double) idle / HALF_LIFE_NANOS));
    }
    return unaryInFlight.get() > 0 ? Math.max(estimate, now - progressAt) : estimate;
  }

  /**
   * Starts the slow-start ramp at {@code now}, as after a recovery: for an endpoint that joins a
   * set that already serves, so that a fresh replica (a cold JVM) takes a growing share of the
   * calls instead of a full one at once, and is not judged on the latency of its first, slow
   * calls while it ramps (see {@link dev.courier.runtime.balance.Node#admission()}).
   */
  void startSlowStart(long now) {
    if (slowStartNanos > 0) {
      rampStart.set(now);
    }
  }

  /**
   * {@link PassiveHealth#SLOW_START_FLOOR} right after a recovery or a join, growing linearly to 1 over
   * {@link PassiveHealth#slowStart()}; 1 otherwise. Reads the clock only while it ramps.
   */
  @Override
  public double admission() {
    long start = rampStart.get();
    if (start == NO_RAMP) {
      return 1.0;
    }
    long elapsed = nanoClock.getAsLong() - start;
    if (elapsed >= slowStartNanos) {
      rampStart.compareAndSet(start, NO_RAMP);
      return 1.0;
    }
    double floor = PassiveHealth.SLOW_START_FLOOR;
    return floor + (1.0 - floor) * Math.max(elapsed, 0) / slowStartNanos;
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
      return rampStart.get() != NO_RAMP && admission() < 1.0 ? "slow start" : "healthy";
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
    return onFinish(startedAt, code, now, false);
  }

  /**
   * {@link #onFinish(long, Status.Code, long)} for an attempt that, when {@code neverReached},
   * surely never reached a server: an {@code UNAVAILABLE} of that kind (a refused or reset
   * connection) ejects at once, since a replica that refuses connections is down, and under
   * {@code LEAST_LOADED} it would otherwise get too few picks to fail the threshold's times in a
   * row and would never be probed back through slow start.
   */
  long onFinish(long startedAt, Status.Code code, long now, boolean neverReached) {
    progressAt = now;
    unaryInFlight.decrementAndGet();
    inFlight.decrementAndGet();
    if (!ejected) {
      sample(startedAt, code, now);
    }
    return outcome(code, now, probeOut && probeAt == startedAt, startedAt,
        neverReached && code == Status.Code.UNAVAILABLE);
  }

  /** Moves the latency estimate towards the attempt's duration (a failure counts as slow). */
  private void sample(long startedAt, Status.Code code, long now) {
    long sample = Math.max(now - startedAt, 1);
    long estimate = latencyNanos;
    if (estimate == 0) {
      estimate = Math.max(clusterEstimate.applyAsLong(this), 0);
    }
    if (Retryability.isServerFault(code)) {
      sample = Math.max(sample, Math.max(2 * estimate, MIN_FAILURE_SAMPLE_NANOS));
    } else if (warmSamples < WARM_UP_SAMPLES) {
      warmSamples++; // a lost increment under a race only lengthens the warm-up by a sample
      long cluster = clusterEstimate.applyAsLong(this);
      if (cluster > 0) {
        sample = Math.min(sample, 2 * cluster);
      }
    } else if (estimate > 0) {
      sample = Math.min(sample, OUTLIER_FACTOR * estimate);
    }
    latencyNanos = estimate == 0 ? sample : Math.max(estimate + ((sample - estimate) >> 2), 1);
    lastSampleAt = now;
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
        if (slowStartNanos > 0) {
          rampStart.set(now);
        }
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
    latencyNanos = 0;
    rampStart.set(NO_RAMP);
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
