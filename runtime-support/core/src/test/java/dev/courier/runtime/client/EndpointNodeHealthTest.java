package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.courier.runtime.balance.Balancer;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CourierListener;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The passive-health state of one {@link EndpointNode} on a manual clock, driven through the calls
 * the pipeline makes ({@code healthy}, {@code beforeAttempt}, {@code onStart}, {@code onFinish}).
 * The channel is never called; only its connect backoff is reset.
 */
class EndpointNodeHealthTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  /** 3 failures eject for 1 s, doubling up to 8 s; slow start over 1 s. */
  private static final PassiveHealth HEALTH = new PassiveHealth(3, Duration.ofSeconds(1), Duration.ofSeconds(8));

  private final AtomicLong now = new AtomicLong(7 * SECOND);
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Long> ejections = new ArrayList<>();
  private final CourierListener listener = new CourierListener() {
    @Override
    public void onEjection(String endpoint, long nanos) {
      ejections.add(nanos);
    }
  };

  @AfterEach
  void closeChannels() {
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private EndpointNode node(PassiveHealth health, ClusterLatency clusterEstimate) {
    ManagedChannel channel = InProcessChannelBuilder.forName("unused-" + channels.size()).build();
    channels.add(channel);
    return new EndpointNode(Endpoint.of("10.0.0." + (channels.size()), 8080), channel, now::get, health, listener,
        clusterEstimate);
  }

  /** An endpoint set on the manual clock whose channels are never called. */
  private EndpointSet endpointSet() {
    return new EndpointSet(endpoint -> {
      ManagedChannel channel = InProcessChannelBuilder.forName("unused-" + endpoint).build();
      channels.add(channel);
      return channel;
    }, now::get, HEALTH, listener);
  }

  private EndpointNode node() {
    return node(HEALTH, self -> 0);
  }

  /** One attempt as the pipeline runs it: taken at {@code now}, finished {@code tookNanos} later with {@code code}. */
  private void attempt(EndpointNode node, Status.Code code, long tookNanos) {
    long startedAt = now.get();
    node.beforeAttempt(startedAt);
    node.onStart(now.get());
    node.onFinish(startedAt, node.expectedNanos(startedAt), code, startedAt + tookNanos, false);
  }

  private EndpointNode ejectedNode() {
    EndpointNode node = node();
    for (int i = 0; i < 3; i++) {
      attempt(node, Status.Code.UNAVAILABLE, 0);
    }
    assertThat(ejections).containsExactly(SECOND);
    return node;
  }

  @Test
  void threeFailuresInARowEjectForTheBaseInterval() {
    EndpointNode node = ejectedNode();
    assertThat(node.healthy(now.get())).isFalse();
    assertThat(node.healthy(now.get() + SECOND - 1)).isFalse();
    assertThat(node.healthy(now.get() + SECOND)).isTrue();
  }

  @Test
  void aRefusedConnectionEjectsAtOnceAndAFailureThatReachedTheServerDoesNot() {
    EndpointNode reached = node();
    long t = now.get();
    reached.beforeAttempt(t);
    reached.onStart(t);
    reached.onFinish(t, 0, Status.Code.UNAVAILABLE, t, false);
    assertThat(reached.healthy(t)).as("1 of 3 failures").isTrue();
    EndpointNode refused = node();
    refused.beforeAttempt(t);
    refused.onStart(t);
    refused.onFinish(t, 0, Status.Code.UNAVAILABLE, t, true);
    assertThat(refused.healthy(t)).isFalse();
    assertThat(ejections).containsExactly(SECOND);
  }

  @Test
  void onlyOneProbeAtATimeAfterAnEjection() {
    EndpointNode node = ejectedNode();
    now.addAndGet(SECOND);
    long probeAt = now.get();
    assertThat(node.healthy(probeAt)).isTrue();

    node.beforeAttempt(probeAt);
    node.onStart(now.get());
    assertThat(node.healthy(probeAt)).as("a probe is out").isFalse();
    assertThat(node.healthy(probeAt + 500 * MS)).as("still out").isFalse();

    // A call that picked the node just before (or an all-ejected fallback) does not take a second slot.
    node.beforeAttempt(probeAt + MS);
    assertThat(node.healthy(probeAt + MS)).isFalse();

    node.onFinish(probeAt, Status.Code.OK, probeAt + 600 * MS);
    assertThat(node.healthy(probeAt + 600 * MS)).as("the probe answered").isTrue();
  }

  @Test
  void failedProbeEjectsForTheNextInterval() {
    EndpointNode node = ejectedNode();
    now.addAndGet(SECOND);
    attempt(node, Status.Code.DEADLINE_EXCEEDED, 200 * MS);
    long failedAt = now.get() + 200 * MS;

    assertThat(ejections).containsExactly(SECOND, 2 * SECOND);
    assertThat(node.healthy(failedAt + 2 * SECOND - 1)).isFalse();
    assertThat(node.healthy(failedAt + 2 * SECOND)).isTrue();

    now.set(failedAt + 2 * SECOND);
    attempt(node, Status.Code.UNAVAILABLE, MS);
    assertThat(ejections).as("then 4 s, up to maxEjection").containsExactly(SECOND, 2 * SECOND, 4 * SECOND);
  }

  @Test
  void aCancelledProbeFreesTheSlotForTheNextProbe() {
    EndpointNode node = ejectedNode();
    now.addAndGet(SECOND);
    attempt(node, Status.Code.CANCELLED, 10 * MS);

    assertThat(node.healthy(now.get() + 10 * MS)).isTrue();
    assertThat(ejections).as("a cancellation says nothing about the replica").hasSize(1);
  }

  @Test
  void anOlderCallEndingWhileAProbeIsOutDoesNotFreeItsSlot() {
    EndpointNode node = ejectedNode();
    long olderStart = now.get() - 50 * MS;
    node.onStart(now.get());
    now.addAndGet(SECOND);
    node.beforeAttempt(now.get());
    node.onStart(now.get());

    node.onFinish(olderStart, Status.Code.CANCELLED, now.get() + MS);
    assertThat(node.healthy(now.get() + MS)).isFalse();
  }

  @Test
  void aHungProbeHoldsTheSlotUntilItEndsAndAtMostForMaxEjection() {
    EndpointNode node = ejectedNode();
    now.addAndGet(SECOND);
    long probeAt = now.get();
    node.beforeAttempt(probeAt);
    node.onStart(now.get());

    assertThat(node.healthy(probeAt + 8 * SECOND - 1)).isFalse();
    assertThat(node.healthy(probeAt + 8 * SECOND)).as("maxEjection later, the next call probes").isTrue();
  }

  @Test
  void aProbeThatNeverStartsFreesTheSlotAfterTheBaseInterval() {
    EndpointNode node = ejectedNode();
    now.addAndGet(SECOND);
    long probeAt = now.get();
    node.beforeAttempt(probeAt); // the call answered elsewhere before this attempt started (a hedge)

    assertThat(node.healthy(probeAt + SECOND - 1)).isFalse();
    assertThat(node.healthy(probeAt + SECOND)).isTrue();
  }

  @Test
  void successfulProbeRampsTrafficOverTheSlowStartWindow() {
    EndpointNode node = ejectedNode();
    assertThat(node.admission()).as("no ramp while ejected").isEqualTo(1.0);
    now.addAndGet(SECOND);
    attempt(node, Status.Code.OK, 0);

    assertThat(node.admission()).isEqualTo(PassiveHealth.SLOW_START_FLOOR);
    now.addAndGet(500 * MS);
    assertThat(node.admission()).isCloseTo(0.55, within(1e-9));
    now.addAndGet(250 * MS);
    assertThat(node.admission()).isCloseTo(0.775, within(1e-9));
    assertThat(node.warming()).isTrue();
    assertThat(node.healthState(now.get())).isEqualTo("slow start");
    now.addAndGet(250 * MS);
    assertThat(node.admission()).isEqualTo(1.0);
    assertThat(node.warming()).as("a full share, its latency not counted yet").isTrue();
    assertThat(node.healthState(now.get())).isEqualTo("slow start");
    now.addAndGet(2 * SECOND - 1);
    assertThat(node.warming()).as("twice as long again as the ramp").isTrue();
    now.addAndGet(1);
    assertThat(node.warming()).isFalse();
    assertThat(node.healthState(now.get())).isEqualTo("healthy");
    now.addAndGet(-2_500 * MS);
    assertThat(node.admission()).as("the slow start is over for good").isEqualTo(1.0);
    assertThat(node.warming()).isFalse();
  }

  @Test
  void zeroSlowStartBringsTheEndpointBackAtAFullShare() {
    EndpointNode node = node(HEALTH.withSlowStart(Duration.ZERO), self -> 0);
    for (int i = 0; i < 3; i++) {
      attempt(node, Status.Code.UNAVAILABLE, 0);
    }
    now.addAndGet(SECOND);
    attempt(node, Status.Code.OK, MS);

    assertThat(node.healthy(now.get())).isTrue();
    assertThat(node.admission()).isEqualTo(1.0);
  }

  @Test
  void aNeverEjectedEndpointTakesAFullShare() {
    EndpointNode node = node();
    attempt(node, Status.Code.OK, MS);
    assertThat(node.admission()).isEqualTo(1.0);
  }

  @Test
  void coldEndpointStartsFromTheClusterEstimate() {
    EndpointNode cold = node(HEALTH, self -> 2 * MS);
    attempt(cold, Status.Code.OK, 3 * MS);

    assertThat(cold.latencyNanos()).as("a quarter of the way from 2 ms to 3 ms").isEqualTo(2 * MS + MS / 4);
  }

  @Test
  void aColdEndpointsFirstSlowAnswersCountAsAtMostTwiceTheClustersEstimate() {
    EndpointNode cold = node(HEALTH, self -> 2 * MS);
    attempt(cold, Status.Code.OK, 100 * MS); // a fresh JVM compiling its code
    assertThat(cold.latencyNanos()).as("2 ms, a quarter of the way to 4 ms").isEqualTo(2 * MS + MS / 2);
    for (int i = 1; i < LatencyEstimate.WARM_UP_SAMPLES; i++) {
      attempt(cold, Status.Code.OK, 100 * MS);
    }
    long warmedUp = cold.latencyNanos();
    assertThat(warmedUp).as("held at most at twice the cluster's 2 ms").isBetween(3 * MS, 4 * MS);
    attempt(cold, Status.Code.OK, 100 * MS);
    assertThat(cold.latencyNanos()).as("after the warm-up a slow answer counts as at most four times the estimate")
        .isEqualTo(warmedUp + (LatencyEstimate.OUTLIER_FACTOR * warmedUp - warmedUp) / 4);
  }

  @Test
  void oneOutlierRaisesAWarmEstimateByThreeQuartersAtMostAndAReplicaThatTurnsSlowStillShowsWithinAFewCalls() {
    EndpointNode node = node();
    for (int i = 0; i < LatencyEstimate.WARM_UP_SAMPLES; i++) {
      attempt(node, Status.Code.OK, MS);
    }
    assertThat(node.latencyNanos()).isEqualTo(MS);
    attempt(node, Status.Code.OK, 40 * MS); // caught in a GC pause
    assertThat(node.latencyNanos()).isEqualTo(MS + 3 * MS / 4);
    for (int i = 0; i < 10; i++) {
      attempt(node, Status.Code.OK, 20 * MS); // now 20 ms slow for good
    }
    assertThat(node.latencyNanos()).isGreaterThan(15 * MS);
  }

  @Test
  void callsCaughtTogetherInOnePauseRaiseTheEstimateToFourTimesWhatWasExpectedAtMost() {
    EndpointNode node = node();
    for (int i = 0; i < LatencyEstimate.WARM_UP_SAMPLES; i++) {
      attempt(node, Status.Code.OK, MS);
    }
    long sentAt = now.get();
    long expected = node.expectedNanos(sentAt);
    for (int i = 0; i < 16; i++) {
      node.onStart(sentAt);
    }
    for (int i = 0; i < 16; i++) { // a 40 ms GC pause delayed all 16 calls in flight
      node.onFinish(sentAt, expected, Status.Code.OK, sentAt + 40 * MS + i * 10_000, false);
    }
    now.set(sentAt + 40 * MS + 160_000);

    assertThat(node.latencyNanos()).as("not 1.75^16 times").isLessThanOrEqualTo(LatencyEstimate.OUTLIER_FACTOR * MS);
    sentAt = now.get();
    attempt(node, Status.Code.OK, 20 * MS);
    assertThat(node.latencyNanos()).as("the next round is capped against the higher estimate")
        .isGreaterThan(LatencyEstimate.OUTLIER_FACTOR * MS);
  }

  @Test
  void underLeastLoadedAReplicaWhoseCallsWereAllCaughtInOnePauseWinsPicksAgainWithin100Ms() {
    EndpointSet set = endpointSet();
    set.onEndpoints(List.of(Endpoint.of("10.0.5.1", 80), Endpoint.of("10.0.5.2", 80), Endpoint.of("10.0.5.3", 80)));
    List<EndpointNode> nodes = set.nodes();
    for (int i = 0; i < LatencyEstimate.WARM_UP_SAMPLES; i++) {
      nodes.forEach(node -> attempt(node, Status.Code.OK, MS));
    }
    EndpointNode paused = nodes.get(0);
    long sentAt = now.get();
    long expected = paused.expectedNanos(sentAt);
    for (int i = 0; i < 16; i++) {
      paused.onStart(sentAt);
    }
    now.addAndGet(40 * MS); // one pause delays all 16 calls in flight on it
    for (int i = 0; i < 16; i++) {
      paused.onFinish(sentAt, expected, Status.Code.OK, now.get(), false);
    }
    List<EndpointNode> others = nodes.subList(1, 3);
    for (int i = 0; i < 8; i++) { // its 16 calls went to the others meanwhile
      others.forEach(node -> node.onStart(now.get()));
    }
    Balancer leastLoaded = Balancer.leastLoaded(new SplittableRandom(3));
    long firstPickAgain = -1;
    for (long t = 0; t <= 500 * MS && firstPickAgain < 0; t += MS) {
      now.set(sentAt + 40 * MS + t);
      for (EndpointNode other : others) { // which answer in their usual 1 ms
        other.onFinish(now.get() - MS, other.expectedNanos(now.get() - MS), Status.Code.OK, now.get(), false);
        other.onStart(now.get());
      }
      for (int pick = 0; pick < 20; pick++) {
        if (leastLoaded.pick(nodes, node -> true, null) == paused) {
          firstPickAgain = t;
        }
      }
    }

    assertThat(firstPickAgain).as("ms after the pause").isBetween(0L, 100 * MS);
    set.close();
  }

  @Test
  void anEstimateWithoutSamplesDriftsHalfwayToTheFastestEndpointsEvery100Ms() {
    EndpointNode slow = node(HEALTH, fixed(0, MS));
    attempt(slow, Status.Code.OK, 9 * MS);
    long answeredAt = now.get() + 9 * MS;
    assertThat(slow.latencyNanos()).isEqualTo(9 * MS);

    now.set(answeredAt + LatencyEstimate.FORGET_HALF_LIFE_NANOS);
    assertThat(slow.latencyNanos()).isEqualTo(5 * MS);
    now.addAndGet(LatencyEstimate.FORGET_HALF_LIFE_NANOS);
    assertThat(slow.latencyNanos()).isEqualTo(3 * MS);
    now.addAndGet(10 * LatencyEstimate.FORGET_HALF_LIFE_NANOS);
    assertThat(slow.latencyNanos()).isBetween(MS, MS + 10_000);
  }

  /** A node that answered its warm-up calls in 1 ms, then six in a row in 20 ms. */
  private EndpointNode warmedUpThenTurnedSlow() {
    EndpointNode slow = node(HEALTH, fixed(MS, MS));
    for (int i = 0; i < LatencyEstimate.WARM_UP_SAMPLES; i++) {
      attempt(slow, Status.Code.OK, MS);
    }
    for (int i = 0; i < 6; i++) {
      attempt(slow, Status.Code.OK, 20 * MS);
    }
    return slow;
  }

  @Test
  void theCallThatTriesASlowReplicaAgainMovesWhatItLastShowedNotTheDriftedGuess() {
    EndpointNode slow = warmedUpThenTurnedSlow();
    long measured = slow.latencyNanos();
    assertThat(measured).isGreaterThan(10 * MS);
    now.addAndGet(20 * MS + 3 * LatencyEstimate.FORGET_HALF_LIFE_NANOS); // no calls: it drifts towards 1 ms
    now.addAndGet(20 * MS);
    long drifted = slow.latencyNanos(); // when the retry below answers
    now.addAndGet(-20 * MS);
    assertThat(drifted).isLessThan(1 * MS + measured / 4);

    attempt(slow, Status.Code.OK, 20 * MS); // tried again: still slow
    double forgotten = 1 - Math.pow(0.5, (20 * MS + 3 * LatencyEstimate.FORGET_HALF_LIFE_NANOS)
        / (double) LatencyEstimate.FORGET_HALF_LIFE_NANOS);
    assertThat(slow.latencyNanos()).as("from what it last showed, by the share its age forgot, to the full 20 ms")
        .isCloseTo(measured + (long) ((20 * MS - measured) * forgotten), within(1L));
  }

  @Test
  void anEndpointTriedAgainAfterItsEstimateDriftedTakesOneCallUntilThatCallAnswers() {
    EndpointNode slow = warmedUpThenTurnedSlow();
    now.addAndGet(20 * MS);
    long measured = slow.latencyNanos();
    now.addAndGet(3 * LatencyEstimate.FORGET_HALF_LIFE_NANOS);
    assertThat(slow.latencyNanos()).as("drifted").isLessThan(MS + measured / 4);

    slow.onStart(now.get()); // the call that tries it again
    assertThat(slow.latencyNanos()).as("judged on what it last showed while that call is out").isEqualTo(measured);
    now.addAndGet(20 * MS);
    slow.onFinish(now.get() - 20 * MS, slow.expectedNanos(now.get() - 20 * MS), Status.Code.OK, now.get(), false);
    assertThat(slow.latencyNanos()).as("still slow: it learned so").isGreaterThan(measured);
  }

  @Test
  void anEndpointBackFromAnEjectionWarmsUpAgainFromTheClustersEstimate() {
    EndpointNode node = node(HEALTH, fixed(2 * MS, 2 * MS));
    for (int i = 0; i < LatencyEstimate.WARM_UP_SAMPLES; i++) {
      attempt(node, Status.Code.OK, 2 * MS);
    }
    for (int i = 0; i < 3; i++) {
      attempt(node, Status.Code.UNAVAILABLE, 0);
    }
    now.addAndGet(SECOND);
    attempt(node, Status.Code.OK, MS); // the probe
    attempt(node, Status.Code.OK, 100 * MS); // a restarted JVM, still cold

    assertThat(node.latencyNanos()).as("2 ms, a quarter of the way to twice 2 ms").isEqualTo(2 * MS + MS / 2);
  }

  private static ClusterLatency fixed(long typical, long fastest) {
    return new ClusterLatency() {
      @Override
      public long typical(EndpointNode self) {
        return typical;
      }

      @Override
      public long fastest(EndpointNode self, long at) {
        return fastest;
      }
    };
  }

  @Test
  void anEndpointThatJoinsASetThatServesTakesOneProbeThenRampsFromItsSuccessAndTheFirstSetDoesNot() {
    EndpointSet set = endpointSet();
    set.onEndpoints(List.of(Endpoint.of("10.0.2.1", 80), Endpoint.of("10.0.2.2", 80)));
    assertThat(set.nodes()).extracting(node -> node.healthy(now.get())).containsExactly(true, true);
    assertThat(set.nodes()).extracting(EndpointNode::admission).containsExactly(1.0, 1.0);

    set.onEndpoints(List.of(Endpoint.of("10.0.2.1", 80), Endpoint.of("10.0.2.2", 80), Endpoint.of("10.0.2.3", 80)));
    EndpointNode joined = set.nodes().get(2);
    assertThat(joined.healthy(now.get())).as("its probe is due").isTrue();
    long probeAt = now.get();
    assertThat(joined.beforeAttempt(probeAt)).as("the first call is the probe").isTrue();
    joined.onStart(probeAt);
    now.addAndGet(SECOND / 2); // a fresh JVM answers its first call late
    assertThat(joined.healthy(now.get())).as("no other call while the probe is out").isFalse();
    assertThat(joined.admission()).isEqualTo(1.0);
    joined.onFinish(probeAt, Status.Code.OK, now.get());

    assertThat(joined.healthy(now.get())).isTrue();
    assertThat(joined.admission()).as("the ramp starts when it answers").isEqualTo(PassiveHealth.SLOW_START_FLOOR);
    now.addAndGet(SECOND / 2);
    assertThat(joined.admission()).isCloseTo(0.55, within(1e-9));
    now.addAndGet(SECOND / 2);
    assertThat(joined.admission()).isEqualTo(1.0);
    assertThat(joined.warming()).as("its own latency counts only after twice as long again").isTrue();
    now.addAndGet(2 * SECOND);
    assertThat(joined.warming()).isFalse();
    assertThat(ejections).as("a join is no ejection").isEmpty();
    set.close();
  }

  @Test
  void aJoiningEndpointWhoseProbeFailsIsEjectedForTheBaseInterval() {
    EndpointSet set = endpointSet();
    set.onEndpoints(List.of(Endpoint.of("10.0.3.1", 80)));
    set.onEndpoints(List.of(Endpoint.of("10.0.3.1", 80), Endpoint.of("10.0.3.2", 80)));
    attempt(set.nodes().get(1), Status.Code.UNAVAILABLE, MS);

    assertThat(ejections).containsExactly(SECOND);
    assertThat(set.nodes().get(1).healthy(now.get() + MS)).isFalse();
    set.close();
  }

  /** A channel to a loopback port nothing listens on, once it has failed to connect. */
  private ManagedChannel disconnected(int port) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    awaitState(channel, ConnectivityState.TRANSIENT_FAILURE, true);
    return channel;
  }

  private static void awaitState(ManagedChannel channel, ConnectivityState wanted, boolean connect)
      throws InterruptedException {
    ConnectivityState state = channel.getState(connect);
    while (state != wanted) {
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      assertThat(changed.await(10, TimeUnit.SECONDS)).as("%s, waiting for %s", state, wanted).isTrue();
      state = channel.getState(false);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private EndpointNode ejectedNodeOn(ManagedChannel channel) {
    EndpointNode node = new EndpointNode(Endpoint.of("127.0.0.1", 1), channel, now::get, HEALTH, listener, self -> 0);
    for (int i = 0; i < 3; i++) {
      attempt(node, Status.Code.UNAVAILABLE, 0);
    }
    assertThat(ejections).containsExactly(SECOND);
    return node;
  }

  @Test
  void anEjectionThatEndsWithoutAConnectionSendsNoProbeAndEjectsAgainWhenNoneComes() throws Exception {
    EndpointNode node = ejectedNodeOn(disconnected(freePort()));

    now.addAndGet(SECOND);
    assertThat(node.healthy(now.get())).as("no connection: a probe would fail at once").isFalse();
    now.addAndGet(EndpointHealth.CONNECT_WAIT_NANOS - 1);
    assertThat(node.healthy(now.get())).isFalse();
    assertThat(ejections).containsExactly(SECOND);
    now.addAndGet(1);
    assertThat(node.healthy(now.get())).isFalse();
    assertThat(ejections).as("no connection in time: the next interval").containsExactly(SECOND, 2 * SECOND);
  }

  @Test
  void anEjectionThatEndsWithoutAConnectionReconnectsAtOnceAndTakesItsProbeWhenConnected() throws Exception {
    int port = freePort();
    ManagedChannel channel = disconnected(port);
    EndpointNode node = ejectedNodeOn(channel);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).build().start();
    try {
      now.addAndGet(SECOND);
      assertThat(node.healthy(now.get())).as("not connected yet").isFalse(); // resets grpc's reconnect backoff
      awaitState(channel, ConnectivityState.READY, false); // well before grpc's own backoff would have retried
      assertThat(node.healthy(now.get())).isTrue();
      assertThat(node.beforeAttempt(now.get())).as("the probe").isTrue();
      assertThat(ejections).containsExactly(SECOND);
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void coldEndpointTakesItsFirstSampleWhenNoOtherEstimateIsKnown() {
    EndpointNode cold = node();
    attempt(cold, Status.Code.OK, 42 * MS);

    assertThat(cold.latencyNanos()).isEqualTo(42 * MS);
  }

  @Test
  void aFastFailureOfAColdEndpointCountsAgainstIt() {
    EndpointNode cold = node(HEALTH, self -> 2 * MS);
    attempt(cold, Status.Code.UNAVAILABLE, 100_000);

    assertThat(cold.latencyNanos()).as("twice the estimate, a quarter of the way").isEqualTo(2 * MS + MS / 2);
  }

  @Test
  void aReplicaThatStopsAnsweringLooksAsSlowAsItsStall() {
    EndpointNode node = node();
    attempt(node, Status.Code.OK, MS);
    node.onStart(now.get());
    now.addAndGet(MS / 2);
    assertThat(node.latencyNanos()).as("within its estimate").isEqualTo(MS);
    now.addAndGet(4 * MS + MS / 2);
    assertThat(node.latencyNanos()).as("5 ms without an answer").isEqualTo(5 * MS);
    node.onFinish(now.get() - 5 * MS, Status.Code.OK, now.get());
    assertThat(node.latencyNanos()).as("answered: the EWMA again").isEqualTo(2 * MS);
  }

  @Test
  void aLongStreamDoesNotMakeTheEndpointLookStalled() {
    EndpointNode node = node();
    attempt(node, Status.Code.OK, MS);
    node.onStart();
    now.addAndGet(10 * SECOND / 100);
    assertThat(node.latencyNanos()).isEqualTo(MS);
  }

  @Test
  void theFastestEstimateIsTheLowestOfTheOtherEndpointsKnownEstimates() {
    EndpointSet set = endpointSet();
    set.onEndpoints(List.of(Endpoint.of("10.0.4.1", 80), Endpoint.of("10.0.4.2", 80), Endpoint.of("10.0.4.3", 80)));
    List<EndpointNode> nodes = set.nodes();
    assertThat(set.fastest(nodes.get(0), now.get())).as("nothing known yet").isZero();
    now.addAndGet(EndpointSet.FASTEST_REFRESH_NANOS);
    attempt(nodes.get(0), Status.Code.OK, 3 * MS);
    attempt(nodes.get(1), Status.Code.OK, 2 * MS); // from node 0's 3 ms: 2.75 ms
    now.addAndGet(10 * MS); // past the attempts' ends and the cache's millisecond

    assertThat(set.fastest(nodes.get(2), now.get())).isEqualTo(2 * MS + 3 * MS / 4);
    assertThat(set.fastest(nodes.get(1), now.get())).as("not its own").isEqualTo(3 * MS);
    assertThat(set.fastest(nodes.get(0), now.get())).isEqualTo(2 * MS + 3 * MS / 4);
    set.close();
  }

  @Test
  void theClusterEstimateIsTheMedianOfTheOtherEndpointsKnownEstimates() {
    EndpointSet set = endpointSet();
    set.onEndpoints(List.of(Endpoint.of("10.0.1.1", 80), Endpoint.of("10.0.1.2", 80), Endpoint.of("10.0.1.3", 80),
        Endpoint.of("10.0.1.4", 80)));
    List<EndpointNode> nodes = set.nodes();
    assertThat(set.typical(nodes.get(3))).as("nothing known yet").isZero();
    attempt(nodes.get(0), Status.Code.OK, 1 * MS);
    attempt(nodes.get(1), Status.Code.OK, 1 * MS); // starts from node 0's 1 ms
    attempt(nodes.get(2), Status.Code.OK, 9 * MS); // counts as 2 ms, twice the others' (warm-up): 1.25 ms

    assertThat(set.typical(nodes.get(3))).isEqualTo(1 * MS);
    assertThat(set.typical(nodes.get(0))).as("the median of 1 ms and 1.25 ms").isEqualTo(MS + MS / 8);
    set.close();
  }
}
