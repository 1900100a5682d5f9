package dev.courier.runtime.balance;

import java.util.List;
import java.util.function.Predicate;

/** Shared helper: the first eligible node at or after a start index, wrapping around. */
final class Scan {
  private Scan() {}

  static <N> N from(List<N> nodes, int start, Predicate<? super N> eligible, N skip) {
    int size = nodes.size();
    for (int i = 0; i < size; i++) {
      int index = start + i;
      N node = nodes.get(index >= size ? index - size : index);
      if (node != skip && eligible.test(node)) {
        return node;
      }
    }
    return null;
  }
}
