package dev.courier.codegen.model;

import java.time.Duration;
import java.util.List;

/**
 * A method's effective policy from the {@code .proto}: method options over service options, field
 * by field, validated. Unset values are {@code null} and leave the runtime's defaults in place.
 *
 * @param idempotent whether running the method twice is safe
 * @param timeout deadline for the whole call, or {@code null}
 * @param retry retry settings, or {@code null} for the runtime default
 * @param hedge hedging, or {@code null}
 * @param balancer a {@code BalancerKind} constant name, or {@code null}
 * @param maxConcurrency server-side limit, 0 for none
 * @param queue whether a queue-backed variant is generated
 */
public record PolicyModel(
    boolean idempotent,
    Duration timeout,
    RetryModel retry,
    HedgeModel hedge,
    String balancer,
    int maxConcurrency,
    boolean queue) {

  /** Nothing declared. */
  public static final PolicyModel DEFAULT = new PolicyModel(false, null, null, null, null, 0, false);

  /**
   * Whether anything differs from the runtime's defaults. Field by field rather than
   * {@code equals(DEFAULT)}: a record's {@code equals} is linked at its first call through
   * {@code ObjectMethods}, which spins method handles that cost more than the comparison in the cold
   * JVM of a build.
   */
  public boolean isDefault() {
    return !idempotent && timeout == null && retry == null && hedge == null && balancer == null
        && maxConcurrency == 0 && !queue;
  }

  /**
   * Retry settings; {@code null} fields keep the runtime defaults.
   *
   * @param retryableCodes gRPC status code names; empty for the safe defaults
   */
  public record RetryModel(
      Integer maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Double multiplier,
      Double jitter,
      List<String> retryableCodes) {
    public RetryModel {
      retryableCodes = List.copyOf(retryableCodes);
    }
  }

  /**
   * Hedging settings.
   *
   * @param hedgeAfter the fixed delay, or {@code null} for an adaptive one
   * @param percentile the percentile of recent latency to hedge after ({@code 95} for {@code "p95"}), or 0 for a fixed delay
   */
  public record HedgeModel(Duration hedgeAfter, int maxHedged, double percentile) {
    /** A fixed delay. */
    public HedgeModel(Duration hedgeAfter, int maxHedged) {
      this(hedgeAfter, maxHedged, 0);
    }

    /** {@code "p95"}, or the delay as {@code "20ms"}. */
    public String afterText() {
      if (hedgeAfter != null) {
        return hedgeAfter.toMillis() + "ms";
      }
      return "p" + (percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile));
    }
  }
}
