package dev.courier.runtime.balance;

import dev.courier.runtime.discovery.Endpoint;

/**
 * What a {@link Balancer} sees of one endpoint. Implementations are thread-safe; the load values
 * change while calls run, so two reads may differ.
 */
public interface Node {
  /** The endpoint this node stands for. */
  Endpoint endpoint();

  /** Calls started on the endpoint and not finished yet. */
  int inFlight();

  /** An estimate of the endpoint's recent latency in nanoseconds; 0 when nothing is known yet. */
  long latencyNanos();

  /**
   * The share of a full turn the endpoint takes now, in {@code (0, 1]}: below 1 while it ramps up
   * after a recovery (slow start). Every balancer passes an eligible node over with probability
   * {@code 1 - admission()} (consistent hashing by the key's hash, so a key moves back once), and
   * still picks it when it is the only eligible one. Cheap: it is read on every pick.
   */
  default double admission() {
    return 1.0;
  }

  /**
   * Whether the endpoint is in slow start: while {@link #admission()} ramps, and for a while after
   * it at a full share (see {@link dev.courier.runtime.client.PassiveHealth}). Balancers that score on latency do
   * not score a warming endpoint on its own (a JVM that has just started answers slowly while it
   * compiles its code); its share is the ramp's. By default, while {@code admission() < 1}. Cheap.
   */
  default boolean warming() {
    return admission() < 1.0;
  }
}
