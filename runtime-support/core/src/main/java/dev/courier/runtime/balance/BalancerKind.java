package dev.courier.runtime.balance;

/** The client-side balancing strategies a method or service can declare. */
public enum BalancerKind {
  /** A uniformly random healthy endpoint. */
  RANDOM,
  /** Healthy endpoints in turn; an ejected endpoint's turn spreads evenly over the others. */
  ROUND_ROBIN,
  /** A random healthy endpoint, chosen in proportion to its weight. */
  WEIGHTED_RANDOM,
  /** A ring with virtual nodes: the same hash key goes to the same healthy endpoint. */
  CONSISTENT_HASH,
  /** Power of two choices over in-flight calls and recent latency: the client default without a hash key. */
  LEAST_LOADED
}
