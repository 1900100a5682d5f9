package dev.courier.runtime.balance;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Draws a point in the sum of the weights and takes the node that owns it (binary search over
 * cached prefix sums); an ineligible owner, or one its slow start passes over ({@link Node#admission()}), passes the
 * draw on to the next eligible node.
 * Thread-safe; the prefix sums are rebuilt when a new endpoint list arrives.
 */
final class WeightedRandomBalancer implements Balancer {
  private final RandomGenerator random;
  private volatile Sums sums = new Sums(List.of(), new long[0]);

  WeightedRandomBalancer(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public <N extends Node> N pick(List<N> nodes, Predicate<? super N> eligible, String key) {
    Sums current = sums;
    if (current.nodes != nodes) {
      current = Sums.of(nodes);
      sums = current;
    }
    long[] prefix = current.prefix;
    long point = random.nextLong(prefix[prefix.length - 1]);
    int index = Arrays.binarySearch(prefix, point + 1);
    if (index < 0) {
      index = -index - 1;
    }
    return Scan.from(nodes, index, eligible, null, random);
  }

  /** Prefix sums of the weights of one endpoint list: prefix[i] = weight(0) + ... + weight(i). */
  private record Sums(List<?> nodes, long[] prefix) {
    static Sums of(List<? extends Node> nodes) {
      long[] prefix = new long[nodes.size()];
      long total = 0;
      for (int i = 0; i < prefix.length; i++) {
        total += nodes.get(i).endpoint().weight();
        prefix[i] = total;
      }
      return new Sums(nodes, prefix);
    }
  }
}
