package dev.courier.runtime.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A shared counter picks the start; ineligible nodes are skipped. Thread-safe, lock-free. */
final class RoundRobinBalancer implements Balancer {
  private final AtomicInteger next = new AtomicInteger();

  @Override
  public <N extends Node> N pick(List<N> nodes, Predicate<? super N> eligible, String key) {
    return Scan.from(nodes, Math.floorMod(next.getAndIncrement(), nodes.size()), eligible, null);
  }
}
