package dev.courier.runtime.client;

import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.Retryability;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The passive health of one endpoint ({@link PassiveHealth}): failures in a row eject it; when the
 * ejection is over, exactly one call at a time (the probe) goes to it, over a connection, until one
 * succeeds; then it ramps up ({@link SlowStartRamp}). An ejection also forgets the endpoint's
 * {@link LatencyEstimate}. Thread-safe: transitions are serialised on this object, and the flags
 * the pick path reads are volatile.
 */
final class EndpointHealth {
  /** How long a node whose ejection ended waits for its channel to connect before that counts as a failed probe. */
  static final long CONNECT_WAIT_NANOS = 250_000_000L;

  private final PassiveHealth health;
  private final ManagedChannel channel;
  private final Supplier<Endpoint> endpoint;
  private final CourierListener listener;
  private final SlowStartRamp ramp;
  private final LatencyEstimate latency;
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

  EndpointHealth(PassiveHealth health, ManagedChannel channel, Supplier<Endpoint> endpoint, CourierListener listener,
      SlowStartRamp ramp, LatencyEstimate latency) {
    this.health = health;
    this.channel = channel;
    this.endpoint = endpoint;
    this.listener = listener;
    this.ramp = ramp;
    this.latency = latency;
  }

  /** Makes the endpoint's first call a probe, as if an ejection had just ended at {@code now} (a join). */
  synchronized void probeFirst(long now) {
    ejected = true;
    ejectedUntil = now;
    probeOut = false;
  }

  /** Whether the endpoint is ejected or waits for a successful probe: its attempts measure failures, not latency. */
  boolean ejected() {
    return ejected;
  }

  /**
   * Whether the endpoint may take calls at {@code now}: never ejected; or its ejection is over, no
   * probe is out and its channel can carry one. A probe counts as out until it finishes, for at
   * most {@link PassiveHealth#maxEjection()}; one that has not started ({@link #onStart}) within
   * {@link PassiveHealth#baseEjection()} counts as never sent.
   */
  boolean healthy(long now) {
    if (!ejected) {
      return true;
    }
    return now - ejectedUntil >= 0 && !probeHeld(now) && connected(now);
  }

  /** {@code "ejected"}, {@code "probing"} or {@code "probe due"} at {@code now}; {@code null} when not ejected. */
  String ejectionState(long now) {
    if (!ejected) {
      return null;
    }
    if (now - ejectedUntil < 0) {
      return "ejected";
    }
    return probeHeld(now) ? "probing" : "probe due";
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
        reset = firstResetOfThisEjection();
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

  /**
   * Whether grpc's connect backoff is still to be reset for the ejection that ended ({@link
   * #ejectedUntil}): once per ejection, by the connect wait or the probe, whichever comes first.
   * Called with the lock held; the caller resets outside it.
   */
  private boolean firstResetOfThisEjection() {
    if (probedAfter == ejectedUntil) {
      return false;
    }
    probedAfter = ejectedUntil;
    return true;
  }

  private ConnectivityState channelState() {
    try {
      return channel.getState(false);
    } catch (UnsupportedOperationException e) {
      return ConnectivityState.READY;
    }
  }

  private boolean probeHeld(long now) {
    if (!probeOut) {
      return false;
    }
    long age = now - probeAt;
    return age < (probeStarted ? health.maxEjection() : health.baseEjection()).toNanos();
  }

  /** An attempt or stream started: a probe that starts holds its slot for up to {@link PassiveHealth#maxEjection()}. */
  void onStart() {
    if (probeOut && !probeStarted) {
      probeStarted = true;
    }
  }

  /**
   * Called before an attempt on this node is started, with the attempt's start time (the {@code
   * startedAt} its {@link #afterAttempt} receives). After an ejection the first such attempt takes the
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
      resetBackoff = firstResetOfThisEjection();
    }
    if (resetBackoff) {
      channel.resetConnectBackoff();
    }
    return true;
  }

  /**
   * Health after a stream ended at {@code now}; a stream carries no start time, so one that ends
   * while a probe is out counts as the probe. Returns how long the endpoint is now ejected for, in
   * ns, when this ejected it, else 0.
   */
  long afterStream(Status.Code code, long now) {
    boolean probe = probeOut;
    return outcome(code, now, probe, probeAt, false);
  }

  /**
   * Health after a unary attempt that started at {@code startedAt} ended at {@code now}; {@code
   * refused} when it surely never reached a server ({@link EndpointNode#onFinish}). Returns how
   * long the endpoint is now ejected for, in ns, when this ejected it, else 0.
   */
  long afterAttempt(long startedAt, Status.Code code, long now, boolean refused) {
    return outcome(code, now, probeOut && probeAt == startedAt, startedAt, refused);
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
    listener.onEjection(endpoint.get().authority(), interval);
    return interval;
  }


  /** Ejections since the endpoint was created (the status page shows them). */
  long ejectionsTotal() {
    return ejectionsTotal;
  }

  /** Whether an ejection interval covers {@code now} (a probe may be out after it). */
  private boolean inEjection(long now) {
    return ejected && now - ejectedUntil < 0;
  }
}
