package dev.courier.runtime.client;

/**
 * What the other endpoints of a client measure, as one endpoint's {@link LatencyEstimate} needs it:
 * where a cold endpoint starts, and where an estimate without samples drifts to. Implementations
 * are thread-safe.
 */
interface ClusterLatency {
  /**
   * The median of the known latency estimates of the endpoints other than {@code self}, in ns; 0
   * when none is known. Read while an endpoint is cold (its first samples), so it may be costly.
   */
  long typical(EndpointNode self);

  /**
   * The lowest known latency estimate of the endpoints other than {@code self} at {@code now}, in
   * ns; 0 when none is known. Read on every pick, so it must be cheap. By default {@link #typical}.
   */
  default long fastest(EndpointNode self, long now) {
    return typical(self);
  }
}
