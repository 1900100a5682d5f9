package dev.courier.runtime.balance;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A shared counter gives each node its turn in list order. The turn of a node that is not eligible
 * (or that its slow start passes over, see {@link Node#admission()}) goes to one of the eligible
 * nodes, chosen by a second shared counter over the eligible ones only, so a skipped node's share
 * spreads evenly over the others instead of all landing on its neighbour in the list. Thread-safe,
 * lock-free, allocation-free; a skipped turn costs two passes over the list.
 */
final class RoundRobinBalancer implements Balancer {
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final RandomGenerator random;

  RoundRobinBalancer(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public <N extends Node> N pick(List<N> nodes, Predicate<? super N> eligible, String key) {
    N turn = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
    boolean eligibleTurn = eligible.test(turn);
    if (eligibleTurn && Scan.admitted(turn, random)) {
      return turn;
    }
    N other = nthEligible(nodes, eligible, turn, skipped.getAndIncrement());
    return other != null || !eligibleTurn ? other : turn;
  }

  /**
   * The {@code (n mod count)}-th eligible node other than {@code skip}, or the next admitted one
   * after it; {@code null} when none is eligible. The predicate may change its mind between the
   * passes (health moves while calls run); then the last eligible node seen is taken.
   */
  private <N extends Node> N nthEligible(List<N> nodes, Predicate<? super N> eligible, N skip, int n) {
    int size = nodes.size();
    int count = 0;
    for (int i = 0; i < size; i++) {
      N node = nodes.get(i);
      if (node != skip && eligible.test(node)) {
        count++;
      }
    }
    if (count == 0) {
      return null;
    }
    int target = Math.floorMod(n, count);
    int seen = 0;
    int start = -1;
    for (int i = 0; i < size && start < 0; i++) {
      N node = nodes.get(i);
      if (node != skip && eligible.test(node) && seen++ == target) {
        start = i;
      }
    }
    return Scan.from(nodes, start < 0 ? 0 : start, eligible, skip, random);
  }
}
