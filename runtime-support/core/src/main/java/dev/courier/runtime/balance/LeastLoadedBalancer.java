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
 * implementation).
 *
 * <p><b>Slow start.</b> While either node of the pair is in slow start ({@link Node#warming()}:
 * its ramp, and twice as long again at a full share after it), latency does not count: the first node
 * wins with probability {@code (1 + admission(first) - admission(second)) / 2}, so a node in
 * slow start takes {@code admission()} of a full share of the picks (a pair of equals is a coin),
 * whatever its first calls measured. The ramp, not the latency of those calls, sets a recovered or
 * newly joined node's share: a cold JVM compiles its code while it answers them and is slower
 * meanwhile, and comparing on latency, or even on calls in flight (a node twice as slow holds
 * twice the calls), would hold back the calls that warm it up (what Envoy's and gRFC A100's slow
 * start are for; grpc's {@code weighted_round_robin} likewise ignores an endpoint's own load
 * reports for a blackout period after it connects). A node in slow start whose calls pile up still
 * loses: one holding more than {@value #RAMP_IN_FLIGHT_FACTOR} times its partner's calls in flight
 * plus {@value #RAMP_IN_FLIGHT_SLACK} while its latency (which counts a stall, see {@link
 * Node#latencyNanos()}) is more than {@value #RAMP_IN_FLIGHT_FACTOR} times its partner's, or
 * unknown: so a replica somewhat slower than the others (one whose connection shares a network
 * thread with another's) takes its ramp's share, one far slower or stalled does not. Only against
 * it: a node that has just come back holds few calls, and that must not win it more than its
 * ramp's share. The draws themselves ignore admission, since the pair's rule weighs it. Thread-safe,
 * lock-free.
 */
final class LeastLoadedBalancer implements Balancer {
  private static final long MIN_LATENCY_NANOS = 1_000;
  private static final double IN_FLIGHT_WEIGHT = 0.25;
  /** In slow start a node loses once it holds more than this many times its partner's calls in flight (plus {@link #RAMP_IN_FLIGHT_SLACK}) and is more than this many times as slow. */
  static final int RAMP_IN_FLIGHT_FACTOR = 2;
  /** With few calls in flight, counts fluctuate by a call or two without any node being slower. */
  static final int RAMP_IN_FLIGHT_SLACK = 2;

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
    N first = Scan.eligibleFrom(nodes, i, eligible, null);
    if (first == null) {
      return null;
    }
    N second = Scan.eligibleFrom(nodes, j, eligible, first);
    if (second == null) {
      return first;
    }
    if (first.warming() || second.warming()) {
      return inSlowStart(first, second);
    }
    long firstLatency = first.latencyNanos();
    long secondLatency = second.latencyNanos();
    if (firstLatency == 0 || secondLatency == 0) {
      return second.inFlight() < first.inFlight() ? second : first;
    }
    return cost(second.inFlight(), secondLatency) < cost(first.inFlight(), firstLatency) ? second : first;
  }

  /** A pair with a node in slow start: by admission, unless a node in slow start is piling up calls (see the class comment). */
  private <N extends Node> N inSlowStart(N first, N second) {
    if (first.warming() && pilingUp(first, second)) {
      return second;
    }
    if (second.warming() && pilingUp(second, first)) {
      return first;
    }
    double firstWins = (1.0 + first.admission() - second.admission()) / 2;
    return random.nextDouble() < firstWins ? first : second;
  }

  /** Whether {@code node} holds more than twice the calls of {@code other} (plus the slack) and is more than twice as slow. */
  private static boolean pilingUp(Node node, Node other) {
    if (node.inFlight() <= RAMP_IN_FLIGHT_FACTOR * other.inFlight() + RAMP_IN_FLIGHT_SLACK) {
      return false;
    }
    long latency = node.latencyNanos();
    long otherLatency = other.latencyNanos();
    return latency == 0 || otherLatency == 0 || latency > RAMP_IN_FLIGHT_FACTOR * otherLatency;
  }

  private static double cost(int inFlight, long latencyNanos) {
    return (1.0 + inFlight * IN_FLIGHT_WEIGHT) * Math.max(latencyNanos, MIN_LATENCY_NANOS);
  }
}
