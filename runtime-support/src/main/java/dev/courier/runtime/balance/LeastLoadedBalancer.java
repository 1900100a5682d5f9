package dev.courier.runtime.balance;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Power of two choices. Two distinct eligible nodes are drawn at random; the one with the lower
 * cost {@code (inFlight + 1) × max(latency, 1 µs)} wins. Latency multiplies the queue length, so
 * an idle replica that answers in 20 ms loses against a busy one that answers in 0.5 ms until
 * it has recovered (see {@link Node#latencyNanos()} for how old estimates fade). While the
 * latency of either node is unknown (0), only the in-flight counts are compared. Thread-safe,
 * lock-free.
 */
final class LeastLoadedBalancer implements Balancer {
  private static final long MIN_LATENCY_NANOS = 1_000;

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
    N first = Scan.from(nodes, i, eligible, null);
    if (first == null) {
      return null;
    }
    N second = Scan.from(nodes, j, eligible, first);
    if (second == null) {
      return first;
    }
    long firstLatency = first.latencyNanos();
    long secondLatency = second.latencyNanos();
    if (firstLatency == 0 || secondLatency == 0) {
      return second.inFlight() < first.inFlight() ? second : first;
    }
    return cost(second.inFlight(), secondLatency) < cost(first.inFlight(), firstLatency) ? second : first;
  }

  private static double cost(int inFlight, long latencyNanos) {
    return (inFlight + 1.0) * Math.max(latencyNanos, MIN_LATENCY_NANOS);
  }
}
