package dev.courier.runtime.balance;

import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** Shared helpers that walk a node list; allocation-free. */
final class Scan {
  private Scan() {}

  /**
   * The first eligible node at or after {@code start}, wrapping around, other than {@code skip},
   * that {@link #admitted} accepts; when eligible nodes exist but none is admitted, the first
   * eligible one. {@code null} when none is eligible.
   */
  static <N extends Node> N from(List<N> nodes, int start, Predicate<? super N> eligible, N skip,
      RandomGenerator random) {
    return from(nodes, start, eligible, skip, random, true);
  }

  /**
   * The first eligible node at or after {@code start}, wrapping around, other than {@code skip},
   * whatever its {@link Node#admission()} (for a balancer that weighs slow start itself); {@code
   * null} when none is eligible.
   */
  static <N extends Node> N eligibleFrom(List<N> nodes, int start, Predicate<? super N> eligible, N skip) {
    return from(nodes, start, eligible, skip, null, false);
  }

  private static <N extends Node> N from(List<N> nodes, int start, Predicate<? super N> eligible, N skip,
      RandomGenerator random, boolean admit) {
    int size = nodes.size();
    N fallback = null;
    for (int i = 0; i < size; i++) {
      int index = start + i;
      N node = nodes.get(index >= size ? index - size : index);
      if (node != skip && eligible.test(node)) {
        if (!admit || admitted(node, random)) {
          return node;
        }
        if (fallback == null) {
          fallback = node;
        }
      }
    }
    return fallback;
  }

  /**
   * Whether {@code node} takes this pick: always at a full {@link Node#admission()} (no draw
   * then), otherwise with probability {@code admission()}.
   */
  static boolean admitted(Node node, RandomGenerator random) {
    double admission = node.admission();
    return admission >= 1.0 || random.nextDouble() < admission;
  }
}
