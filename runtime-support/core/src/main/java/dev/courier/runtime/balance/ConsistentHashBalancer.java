package dev.courier.runtime.balance;

import static dev.courier.runtime.internal.Checks.atLeastOne;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A hash ring with virtual nodes. Each endpoint owns {@code virtualNodes} points, placed by a
 * 64-bit hash of {@code host:port#i} (so placement depends on the endpoint, not on its position in
 * the list); a key goes to the owner of the first point clockwise from the key's hash, skipping
 * ineligible owners. An owner in slow start ({@link Node#admission()}) takes the keys whose {@link
 * #share} is below its admission and passes the others on clockwise. Calls without a key go to a
 * random eligible node. Thread-safe; the ring is
 * rebuilt when a new endpoint list arrives.
 */
final class ConsistentHashBalancer implements Balancer {
  static final int DEFAULT_VIRTUAL_NODES = 160;

  private final int virtualNodes;
  private final RandomBalancer noKey;
  private volatile Ring ring = new Ring(List.of(), new long[0], new int[0]);

  ConsistentHashBalancer(int virtualNodes, RandomGenerator random) {
    atLeastOne("virtualNodes", virtualNodes);
    this.virtualNodes = virtualNodes;
    this.noKey = new RandomBalancer(Objects.requireNonNull(random, "random"));
  }

  @Override
  public <N extends Node> N pick(List<N> nodes, Predicate<? super N> eligible, String key) {
    if (key == null) {
      return noKey.pick(nodes, eligible, null);
    }
    Ring current = ring;
    if (current.nodes != nodes) {
      current = Ring.of(nodes, virtualNodes);
      ring = current;
    }
    long[] points = current.points;
    long keyHash = hash(key);
    int start = Arrays.binarySearch(points, keyHash);
    if (start < 0) {
      start = -start - 1;
    }
    double keyShare = share(keyHash);
    N fallback = null;
    boolean[] seen = null;
    int distinctSeen = 0;
    for (int step = 0; step < points.length; step++) {
      int index = start + step;
      int owner = current.owners[index >= points.length ? index - points.length : index];
      N node = nodes.get(owner);
      if (eligible.test(node)) {
        if (keyShare < node.admission()) {
          return node;
        }
        if (fallback == null) {
          fallback = node;
        }
      }
      if (seen == null) {
        seen = new boolean[nodes.size()];
      }
      if (!seen[owner]) {
        seen[owner] = true;
        if (++distinctSeen == nodes.size()) {
          return fallback;
        }
      }
    }
    return fallback;
  }

  /**
   * Where a key stands in {@code [0, 1)} for slow start: an owner admits the keys below its {@link
   * Node#admission()}, so while it ramps up its keys come back in a fixed order, each one once. A
   * second mix of the hash, so that the share does not follow the position on the ring.
   */
  static double share(long keyHash) {
    long h = keyHash * 0x9e3779b97f4a7c15L;
    h ^= h >>> 32;
    return (h >>> 11) * 0x1.0p-53;
  }

  /** FNV-1a over the UTF-16 units, finished with the murmur3 64-bit mixer. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Sorted points on the ring and, for each, the index of the node that owns it. */
  private record Ring(List<?> nodes, long[] points, int[] owners) {
    static Ring of(List<? extends Node> nodes, int virtualNodes) {
      int count = nodes.size() * virtualNodes;
      long[] hashes = new long[count];
      int k = 0;
      for (int owner = 0; owner < nodes.size(); owner++) {
        String authority = nodes.get(owner).endpoint().authority();
        for (int v = 0; v < virtualNodes; v++) {
          hashes[k] = hash(authority + "#" + v);
          k++;
        }
      }
      Integer[] order = new Integer[count];
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
      long[] points = new long[count];
      int[] owners = new int[count];
      for (int i = 0; i < count; i++) {
        points[i] = hashes[order[i]];
        owners[i] = order[i] / virtualNodes;
      }
      return new Ring(nodes, points, owners);
    }
  }
}
