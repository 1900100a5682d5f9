package dev.courier.runtime.balance;

/** The client-side balancing strategies a method or service can declare. */
public enum BalancerKind {
  /** A uniformly random healthy endpoint. */
  RANDOM,
  /** Healthy endpoints in turn. */
  ROUND_ROBIN,
  /** A random healthy endpoint, chosen in proportion to its weight. */
  WEIGHTED_RANDOM,
  /** A ring with virtual nodes: the same hash key goes to the same healthy endpoint. */
  CONSISTENT_HASH,
  /** Power of two choices over in-flight calls and recent latency. */
  LEAST_LOADED
}
