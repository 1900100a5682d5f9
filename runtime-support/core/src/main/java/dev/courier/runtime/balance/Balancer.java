package dev.courier.runtime.balance;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses the endpoint for one attempt of a call.
 *
 * <p>Implementations are thread-safe and cheap: one instance serves every call of a client, from
 * many threads at once. They keep no endpoint list of their own; each {@link #pick} receives the
 * current one, and may cache what they derive from it (a hash ring, weight sums) for as long as
 * the same list instance is passed.
 */
public interface Balancer {
  /**
   * Picks a node of {@code nodes} that {@code eligible} accepts.
   *
   * @param nodes the current endpoint set, never empty; an unmodifiable list, replaced by a new
   *     instance (never mutated) when the set changes
   * @param eligible which nodes may be chosen for this attempt (healthy, not tried yet, ...)
   * @param key the call's hash key, or {@code null} when it has none
   * @return an eligible node, or {@code null} when none is eligible
   */
  <N extends Node> N pick(List<N> nodes, Predicate<? super N> eligible, String key);

  /** The balancer of {@code kind} with default settings and thread-local randomness. */
  static Balancer of(BalancerKind kind) {
    return of(kind, Randoms.threadLocal());
  }

  /** The balancer of {@code kind} with default settings, drawing from {@code random}. */
  static Balancer of(BalancerKind kind, RandomGenerator random) {
    Objects.requireNonNull(kind, "kind");
    return switch (kind) {
      case RANDOM -> random(random);
      case ROUND_ROBIN -> roundRobin(random);
      case WEIGHTED_RANDOM -> weightedRandom(random);
      case CONSISTENT_HASH -> consistentHash(ConsistentHashBalancer.DEFAULT_VIRTUAL_NODES, random);
      case LEAST_LOADED -> leastLoaded(random);
    };
  }

  /** A uniformly random eligible node. */
  static Balancer random(RandomGenerator random) {
    return new RandomBalancer(random);
  }

  /**
   * Eligible nodes in turn; an ineligible node's turn goes to the eligible ones in turn, so its
   * share spreads evenly. Slow-start draws use thread-local randomness.
   */
  static Balancer roundRobin() {
    return roundRobin(Randoms.threadLocal());
  }

  /** {@link #roundRobin()}, drawing the slow-start admissions ({@link Node#admission()}) from {@code random}. */
  static Balancer roundRobin(RandomGenerator random) {
    return new RoundRobinBalancer(random);
  }

  /** A random eligible node, in proportion to {@link dev.courier.runtime.discovery.Endpoint#weight()}. */
  static Balancer weightedRandom(RandomGenerator random) {
    return new WeightedRandomBalancer(random);
  }

  /**
   * A hash ring with {@code virtualNodes} points per endpoint: a key goes to the first eligible
   * endpoint clockwise from its hash, so the same key reaches the same endpoint while it is
   * eligible, and removing one of N endpoints moves only the keys it owned (about 1/N). A call
   * without a key goes to a random eligible endpoint.
   */
  static Balancer consistentHash(int virtualNodes, RandomGenerator random) {
    return new ConsistentHashBalancer(virtualNodes, random);
  }

  /**
   * Power of two choices: two distinct random eligible nodes are drawn and the one with the lower
   * {@code latency × (1 + inFlight / 4)} wins, so a slow endpoint loses against a fast one even
   * when the fast one is busy.
   */
  static Balancer leastLoaded(RandomGenerator random) {
    return new LeastLoadedBalancer(random);
  }
}
