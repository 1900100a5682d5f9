package dev.courier.runtime.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Every balancer respects {@link Node#admission()}: a node in slow start takes that share of its picks. */
class SlowStartTest {
  private final RandomGenerator random = new SplittableRandom(7);

  @Test
  void everyBalancerGivesARampingNodeItsAdmissionShareOfAFullShare() {
    for (BalancerKind kind : BalancerKind.values()) {
      List<FakeNode> nodes = FakeNode.nodes(4);
      nodes.forEach(n -> n.latencyNanos = 1_000_000);
      nodes.get(0).admission = 0.25;
      Balancer balancer = Balancer.of(kind, random);
      int ramping = 0;
      for (int i = 0; i < 40_000; i++) {
        if (balancer.pick(nodes, n -> true, "key-" + i) == nodes.get(0)) {
          ramping++;
        }
      }
      assertThat(ramping / 40_000.0).as("%s: a quarter of a quarter", kind).isBetween(0.05, 0.075);
    }
  }

  @Test
  void leastLoadedGivesARampingNodeItsAdmissionShareOfTwoOrThreeWhileItIsSlowerAndBusier() {
    for (int count = 2; count <= 3; count++) {
      List<FakeNode> nodes = FakeNode.nodes(count);
      nodes.forEach(n -> {
        n.latencyNanos = 500_000;
        n.inFlight = 4;
      });
      FakeNode ramping = nodes.get(0);
      ramping.latencyNanos = 2_000_000; // a cold JVM, still compiling
      ramping.inFlight = 8;
      Balancer p2c = Balancer.leastLoaded(random);
      for (double admission : new double[] {0.1, 0.55, 1.0}) {
        ramping.admission = admission;
        ramping.held = admission == 1.0;
        int picked = 0;
        for (int i = 0; i < 40_000; i++) {
          picked += p2c.pick(nodes, n -> true, null) == ramping ? 1 : 0;
        }
        assertThat(picked / 40_000.0).as("%d nodes, admission %s", count, admission)
            .isCloseTo(admission / count, within(0.015));
      }
    }
  }

  @Test
  void everyBalancerPicksARampingNodeWhenItIsTheOnlyEligibleOne() {
    for (BalancerKind kind : BalancerKind.values()) {
      List<FakeNode> nodes = FakeNode.nodes(4);
      nodes.get(2).admission = 0.1;
      Balancer balancer = Balancer.of(kind, random);
      for (int i = 0; i < 200; i++) {
        assertThat(balancer.pick(nodes, n -> n == nodes.get(2), "key-" + i)).as(kind.name()).isSameAs(nodes.get(2));
      }
    }
  }

  @Test
  void aFullAdmissionDrawsNoRandomness() {
    RandomGenerator counting = new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new AssertionError("no draw expected");
      }
    };
    List<FakeNode> nodes = FakeNode.nodes(3);
    assertThat(Balancer.roundRobin(counting).pick(nodes, n -> true, null)).isSameAs(nodes.get(0));
    assertThat(Balancer.consistentHash(16, counting).pick(nodes, n -> true, "k")).isNotNull();
  }

  @Test
  void consistentHashBringsEachKeyBackOnceWhileItsOwnerRampsUp() {
    List<FakeNode> nodes = FakeNode.nodes(5);
    FakeNode owner = nodes.get(3);
    Balancer ring = Balancer.consistentHash(160, random);
    Set<String> owned = new HashSet<>();
    for (int k = 0; k < 5_000; k++) {
      if (ring.pick(nodes, n -> true, "k" + k) == owner) {
        owned.add("k" + k);
      }
    }
    Set<String> back = new HashSet<>();
    for (double admission = 0.1; admission <= 1.0001; admission += 0.1) {
      owner.admission = Math.min(admission, 1.0);
      Set<String> now = new HashSet<>();
      for (String key : owned) {
        if (ring.pick(nodes, n -> true, key) == owner) {
          now.add(key);
        }
      }
      assertThat(now).as("keys that came back stay back").containsAll(back);
      assertThat((double) now.size() / owned.size()).isBetween(owner.admission - 0.06, owner.admission + 0.06);
      back = now;
    }
    assertThat(back).isEqualTo(owned);
  }
}
