package dev.courier.runtime.balance;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Power of two choices. Two distinct eligible nodes are drawn at random; the one with the lower
 * cost {@code max(latency, 1 µs) × (1 + inFlight / 4)} wins. Latency dominates: the measured
 * latency already includes the queueing that calls in flight cause, so each call in flight adds
 * only a quarter of it (multiplying by the full count would make a busy fast replica look worse
 * than an idle slow one as soon as the machine is loaded). So an idle replica that answers in
 * 20 ms loses against fast ones even with 16 calls in flight on them, until it has recovered
 * (see {@link Node#latencyNanos()} for how old estimates fade). While the
 * latency of either node is unknown (0), only the in-flight counts are compared; a new endpoint
 * gets a known latency with its first sample, seeded from the others' estimates (see the node's
 * implementation). Each draw passes over a node its slow start does not admit ({@link
 * Node#admission()}), and while either node of the pair is in slow start the two are compared on
 * their calls in flight alone: the ramp sets a recovered or newly joined node's share, and the
 * latency of its first calls (a cold JVM compiling its code) must not starve it of the calls that
 * would warm it up, while a node whose calls pile up still loses. Thread-safe, lock-free.
 */
final class LeastLoadedBalancer implements Balancer {
  private static final long MIN_LATENCY_NANOS = 1_000;
  private static final double IN_FLIGHT_WEIGHT = 0.25;

  private final RandomGenerator random;

  LeastLoadedBalancer(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public <N extends Node> N pick(List<N> nodes, Predicate<? super N> eligible, String key) {
    int size = nodes.size();
    if (size == 1) {
      N only = nodes.get(0);
      return eligible.test(only) ? only : null;
    }
    int i = random.nextInt(size);
    int j = random.nextInt(size - 1);
    if (j >= i) {
      j++;
    }
    N first = Scan.from(nodes, i, eligible, null, random);
    if (first == null) {
      return null;
    }
    N second = Scan.from(nodes, j, eligible, first, random);
    if (second == null) {
      return first;
    }
    if (first.admission() < 1.0 || second.admission() < 1.0) {
      return second.inFlight() < first.inFlight() ? second : first; // a node in slow start: see the class comment
    }
    long firstLatency = first.latencyNanos();
    long secondLatency = second.latencyNanos();
    if (firstLatency == 0 || secondLatency == 0) {
      return second.inFlight() < first.inFlight() ? second : first;
    }
    return cost(second.inFlight(), secondLatency) < cost(first.inFlight(), firstLatency) ? second : first;
  }

  private static double cost(int inFlight, long latencyNanos) {
    return (1.0 + inFlight * IN_FLIGHT_WEIGHT) * Math.max(latencyNanos, MIN_LATENCY_NANOS);
  }
}
