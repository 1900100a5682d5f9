package dev.courier.runtime.client;

import dev.courier.runtime.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Passive health checking: an endpoint whose last {@code failureThreshold} attempts all failed
 * with a server fault ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code INTERNAL}, {@code
 * UNKNOWN}, {@code DATA_LOSS}) is ejected for {@code baseEjection × 2^(k-1)} (k-th ejection in a
 * row, at most {@code maxEjection}). When the interval is over, real calls probe it: one success
 * brings it back and resets the interval, one failure ejects it again for longer. When every
 * endpoint is ejected, calls still go to one of them rather than failing with nothing. Immutable.
 *
 * @param failureThreshold consecutive failures that eject; at least 1
 * @param baseEjection the first ejection interval; positive
 * @param maxEjection the longest ejection interval; at least {@code baseEjection}
 */
public record PassiveHealth(int failureThreshold, Duration baseEjection, Duration maxEjection) {
  /** 5 failures in a row eject for 1 s, doubling up to 60 s. */
  public static final PassiveHealth DEFAULT = new PassiveHealth(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

  public PassiveHealth {
    Checks.atLeastOne("failureThreshold", failureThreshold);
    Checks.positive("baseEjection", baseEjection);
    Objects.requireNonNull(maxEjection, "maxEjection");
    if (maxEjection.compareTo(baseEjection) < 0) {
      throw Checks.invalid("maxEjection", maxEjection, ">= baseEjection " + baseEjection);
    }
  }
}
