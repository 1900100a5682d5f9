package dev.courier.runtime.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BalancerTest {
  private final RandomGenerator random = new SplittableRandom(42);

  @Test
  void consistentHashSendsTheSameKeyToTheSameEndpoint() {
    List<FakeNode> nodes = FakeNode.nodes(5);
    Balancer ring = Balancer.consistentHash(160, random);
    for (int k = 0; k < 1_000; k++) {
      FakeNode first = ring.pick(nodes, n -> true, "key-" + k);
      for (int again = 0; again < 3; again++) {
        assertThat(ring.pick(nodes, n -> true, "key-" + k)).isSameAs(first);
      }
    }
  }

  @Test
  void consistentHashRemovingOneOfFiveMovesOnlyItsKeysAndAtMostOneAndAHalfFifths() {
    List<FakeNode> five = FakeNode.nodes(5);
    List<FakeNode> four = List.copyOf(five.subList(1, 5));
    Balancer ring = Balancer.consistentHash(160, random);
    Map<String, FakeNode> before = new HashMap<>();
    for (int k = 0; k < 10_000; k++) {
      before.put("key-" + k, ring.pick(five, n -> true, "key-" + k));
    }
    int moved = 0;
    for (Map.Entry<String, FakeNode> e : before.entrySet()) {
      FakeNode after = ring.pick(four, n -> true, e.getKey());
      if (after != e.getValue()) {
        moved++;
        assertThat(e.getValue()).as("only keys of the removed endpoint move").isSameAs(five.get(0));
      }
    }
    assertThat(moved).isLessThanOrEqualTo(10_000 * 3 / 10).isGreaterThan(0);
  }

  @Test
  void consistentHashSkipsAnIneligibleOwnerAndKeepsOtherKeysInPlace() {
    List<FakeNode> nodes = FakeNode.nodes(5);
    Balancer ring = Balancer.consistentHash(160, random);
    FakeNode down = nodes.get(2);
    for (int k = 0; k < 2_000; k++) {
      FakeNode owner = ring.pick(nodes, n -> true, "k" + k);
      FakeNode healthyPick = ring.pick(nodes, n -> n != down, "k" + k);
      if (owner == down) {
        assertThat(healthyPick).isNotSameAs(down);
      } else {
        assertThat(healthyPick).isSameAs(owner);
      }
    }
  }

  @Test
  void consistentHashWithoutKeyFallsBackToRandom() {
    List<FakeNode> nodes = FakeNode.nodes(4);
    Balancer ring = Balancer.consistentHash(160, random);
    Set<FakeNode> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(ring.pick(nodes, n -> true, null));
    }
    assertThat(seen).hasSize(4);
  }

  @Test
  void everyBalancerReturnsNullWhenNothingIsEligibleAndSkipsIneligibleNodes() {
    List<FakeNode> nodes = FakeNode.nodes(10);
    for (BalancerKind kind : BalancerKind.values()) {
      Balancer balancer = Balancer.of(kind, random);
      assertThat(balancer.pick(nodes, n -> false, "k")).as(kind.name()).isNull();
      for (int i = 0; i < 100; i++) {
        assertThat(balancer.pick(nodes, n -> n == nodes.get(7), "k" + i)).as(kind.name()).isSameAs(nodes.get(7));
      }
    }
  }

  @Test
  void roundRobinVisitsEveryEndpointInTurn() {
    List<FakeNode> nodes = FakeNode.nodes(3);
    Balancer rr = Balancer.roundRobin();
    List<FakeNode> picks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picks.add(rr.pick(nodes, n -> true, null));
    }
    assertThat(picks).containsExactly(nodes.get(0), nodes.get(1), nodes.get(2), nodes.get(0), nodes.get(1), nodes.get(2));
  }

  @Test
  void roundRobinSpreadsAnEjectedNodesShareEvenly() {
    List<FakeNode> nodes = FakeNode.nodes(3);
    FakeNode ejected = nodes.get(1);
    Map<FakeNode, Integer> picks = count(Balancer.roundRobin(random), nodes, n -> n != ejected, 6_000);

    assertThat(picks).containsOnlyKeys(nodes.get(0), nodes.get(2));
    assertThat(picks.get(nodes.get(0))).isEqualTo(3_000);
    assertThat(picks.get(nodes.get(2))).isEqualTo(3_000);
  }

  @Test
  void roundRobinSpreadsTheSharesOfAdjacentEjectedNodesEvenly() {
    List<FakeNode> nodes = FakeNode.nodes(5);
    Set<FakeNode> ejected = Set.of(nodes.get(1), nodes.get(2));
    Map<FakeNode, Integer> picks = count(Balancer.roundRobin(random), nodes, n -> !ejected.contains(n), 6_000);

    assertThat(picks).containsOnlyKeys(nodes.get(0), nodes.get(3), nodes.get(4));
    assertThat(picks.values()).containsOnly(2_000);
  }

  @Test
  void roundRobinPassesOverAnEndpointWhileItRampsUp() {
    List<FakeNode> nodes = FakeNode.nodes(4);
    nodes.get(0).admission = 0.2;
    Map<FakeNode, Integer> picks = count(Balancer.roundRobin(random), nodes, n -> true, 40_000);

    assertThat(picks.get(nodes.get(0)) / 10_000.0).as("a fifth of its turns").isBetween(0.18, 0.22);
    for (int i = 1; i < 4; i++) {
      assertThat(picks.get(nodes.get(i)) / 40_000.0).as("the rest, evenly").isBetween(0.31, 0.323);
    }
  }

  private static Map<FakeNode, Integer> count(Balancer balancer, List<FakeNode> nodes,
      java.util.function.Predicate<FakeNode> eligible, int picks) {
    Map<FakeNode, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(balancer.pick(nodes, eligible, null), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void weightedRandomPicksInProportionToWeight() {
    List<FakeNode> nodes = List.of(FakeNode.weighted(0, 1), FakeNode.weighted(1, 3));
    Balancer weighted = Balancer.weightedRandom(random);
    int heavy = 0;
    for (int i = 0; i < 40_000; i++) {
      if (weighted.pick(nodes, n -> true, null) == nodes.get(1)) {
        heavy++;
      }
    }
    assertThat(heavy / 40_000.0).isBetween(0.73, 0.77);
  }

  @Test
  void leastLoadedNeverDrawsTheSameEndpointTwice() {
    List<FakeNode> nodes = FakeNode.nodes(2);
    nodes.get(0).latencyNanos = 5_000_000;
    nodes.get(1).latencyNanos = 1_000_000;
    Balancer p2c = Balancer.leastLoaded(random);
    for (int i = 0; i < 1_000; i++) {
      assertThat(p2c.pick(nodes, n -> true, null)).isSameAs(nodes.get(1));
    }
  }

  @Test
  void leastLoadedAvoidsAnIdleSlowEndpointAgainstBusyFastOnes() {
    List<FakeNode> nodes = FakeNode.nodes(3);
    nodes.get(0).latencyNanos = 20_000_000;
    nodes.get(1).latencyNanos = 500_000;
    nodes.get(1).inFlight = 8;
    nodes.get(2).latencyNanos = 500_000;
    nodes.get(2).inFlight = 8;
    Balancer p2c = Balancer.leastLoaded(random);
    for (int i = 0; i < 1_000; i++) {
      assertThat(p2c.pick(nodes, n -> true, null)).isNotSameAs(nodes.get(0));
    }
  }

  @Test
  void leastLoadedPrefersFewerCallsInFlightAtEqualLatency() {
    List<FakeNode> nodes = FakeNode.nodes(2);
    nodes.forEach(n -> n.latencyNanos = 1_000_000);
    nodes.get(0).inFlight = 3;
    Balancer p2c = Balancer.leastLoaded(random);
    assertThat(p2c.pick(nodes, n -> true, null)).isSameAs(nodes.get(1));
  }

  @Test
  void leastLoadedLetsTheRampNotLatencyNorCallsInFlightSetTheShareOfANodeInSlowStart() {
    List<FakeNode> nodes = FakeNode.nodes(2);
    FakeNode joining = nodes.get(0);
    FakeNode warm = nodes.get(1);
    joining.latencyNanos = 20_000_000; // a fresh JVM's first, slow answers
    joining.inFlight = 10; // twice the other's plus two: about what a replica twice as slow holds
    warm.latencyNanos = 500_000;
    warm.inFlight = 4;
    Balancer p2c = Balancer.leastLoaded(random);
    assertThat(p2c.pick(nodes, n -> true, null)).as("out of slow start its latency loses").isSameAs(warm);

    joining.admission = 0.5;
    assertThat(share(p2c, nodes, joining)).as("half of a full share of two: a quarter").isCloseTo(0.25, within(0.02));
    joining.admission = 1.0;
    joining.held = true;
    assertThat(share(p2c, nodes, joining)).as("a full share, after its ramp").isCloseTo(0.5, within(0.02));

    joining.inFlight = 11;
    for (int i = 0; i < 1_000; i++) {
      assertThat(p2c.pick(nodes, n -> true, null)).as("but not once its calls pile up").isSameAs(warm);
    }
    joining.latencyNanos = 1_000_000; // twice as slow, not more: a connection that shares a network thread
    assertThat(share(p2c, nodes, joining)).as("many calls in flight on a node not far slower").isCloseTo(0.5, within(0.02));

    joining.inFlight = 0;
    joining.admission = 0.1;
    joining.held = false;
    assertThat(share(p2c, nodes, joining)).as("back with no call in flight, it still takes its ramp's share alone")
        .isCloseTo(0.05, within(0.01));
  }

  private static double share(Balancer balancer, List<FakeNode> nodes, FakeNode node) {
    int picked = 0;
    for (int i = 0; i < 20_000; i++) {
      picked += balancer.pick(nodes, n -> true, null) == node ? 1 : 0;
    }
    return picked / 20_000.0;
  }

  @Test
  void zeroVirtualNodesFails() {
    assertThatThrownBy(() -> Balancer.consistentHash(0, random))
        .hasMessage("virtualNodes: 0 (expected: >= 1)");
  }
}
