package dev.courier.runtime.client;

import dev.courier.runtime.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Passive health checking: an endpoint whose last {@code failureThreshold} attempts all failed
 * with a server fault ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code INTERNAL}, {@code
 * UNKNOWN}, {@code DATA_LOSS}) is ejected for {@code baseEjection × 2^(k-1)} (k-th ejection in a
 * row, at most {@code maxEjection}).
 *
 * <p>When the interval is over, exactly one call at a time goes to the endpoint: the probe. While
 * it is out, other calls see the endpoint as ejected. A successful probe brings the endpoint back;
 * a probe that fails with a server fault ejects it again for the next, longer interval; a probe
 * that ends otherwise (cancelled by its caller) frees the slot for the next probe. A probe that
 * never ends holds the slot for at most {@code maxEjection}, then the next call probes again.
 *
 * <p>A recovered endpoint, and one that joins a set that already serves once its first call (a
 * probe, alone) has succeeded, takes traffic over a slow-start ramp: its share of picks grows linearly
 * from {@value #SLOW_START_FLOOR} of a full share to a full share over {@code slowStart}, in every
 * balancer ({@link dev.courier.runtime.balance.Node#admission()}). A zero {@code slowStart} turns
 * the ramp off.
 *
 * <p>When every endpoint is ejected, calls still go to one of them rather than failing with
 * nothing. Immutable.
 *
 * @param failureThreshold consecutive failures that eject; at least 1
 * @param baseEjection the first ejection interval; positive
 * @param maxEjection the longest ejection interval; at least {@code baseEjection}
 * @param slowStart how long a recovered endpoint takes to get back to a full share; zero or more
 */
public record PassiveHealth(int failureThreshold, Duration baseEjection, Duration maxEjection, Duration slowStart) {
  /** The share of picks a recovered endpoint starts its slow-start ramp from. */
  public static final double SLOW_START_FLOOR = 0.1;

  /** The slow-start window of {@link #DEFAULT} and of the three-argument constructor: 1 s. */
  public static final Duration DEFAULT_SLOW_START = Duration.ofSeconds(1);

  /** 5 failures in a row eject for 1 s, doubling up to 60 s; a recovered endpoint ramps up over 1 s. */
  public static final PassiveHealth DEFAULT = new PassiveHealth(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

  public PassiveHealth {
    Checks.atLeastOne("failureThreshold", failureThreshold);
    Checks.positive("baseEjection", baseEjection);
    Objects.requireNonNull(maxEjection, "maxEjection");
    if (maxEjection.compareTo(baseEjection) < 0) {
      throw Checks.invalid("maxEjection", maxEjection, ">= baseEjection " + baseEjection);
    }
    Checks.notNegative("slowStart", slowStart);
  }

  /** The given ejection settings with the default slow start ({@value #SLOW_START_FLOOR} to 1 over 1 s). */
  public PassiveHealth(int failureThreshold, Duration baseEjection, Duration maxEjection) {
    this(failureThreshold, baseEjection, maxEjection, DEFAULT_SLOW_START);
  }

  /** A copy with {@code slowStart} as the ramp of a recovered endpoint; {@link Duration#ZERO} turns it off. */
  public PassiveHealth withSlowStart(Duration slowStart) {
    return new PassiveHealth(failureThreshold, baseEjection, maxEjection, slowStart);
  }
}
