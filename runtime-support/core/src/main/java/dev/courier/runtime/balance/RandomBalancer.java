package dev.courier.runtime.balance;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A random start, then the first eligible node from there that its slow start admits ({@link
 * Node#admission()}). Thread-safe.
 */
final class RandomBalancer implements Balancer {
  private final RandomGenerator random;

  RandomBalancer(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public <N extends Node> N pick(List<N> nodes, Predicate<? super N> eligible, String key) {
    return Scan.from(nodes, random.nextInt(nodes.size()), eligible, null, random);
  }
}
