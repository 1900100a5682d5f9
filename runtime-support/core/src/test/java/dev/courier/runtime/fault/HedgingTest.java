package dev.courier.runtime.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.ManualScheduler;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hedging of an idempotent method ({@code hedge_after} 20 ms, two hedges at most) over one slow
 * replica and two that answer at once; round robin sends some calls to the slow one first. The
 * client runs on a manual clock and scheduler: a hedge starts when the test forwards the hedge
 * delay, so call latencies are exact (on the client's clock) instead of measured.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HedgingTest {
  private static final long HEDGE_NANOS = Duration.ofMillis(20).toNanos();
  private static final int CALLS = 30;
  private static final RpcMethod<StringValue, StringValue> HEDGED = FaultReplica.idempotent(MethodPolicy.builder()
      .timeout(Duration.ofSeconds(20))
      .hedge(new HedgePolicy(Duration.ofNanos(HEDGE_NANOS), 2)));

  private final ManualScheduler scheduler = new ManualScheduler();
  /** What the listener heard of the current call; calls run one at a time. */
  private volatile String firstEndpoint;
  private final List<Long> callNanos = new CopyOnWriteArrayList<>();
  private final AtomicInteger budgetRefusals = new AtomicInteger();

  @AfterEach
  void nothingIsLeftScheduled() {
    assertThat(scheduler.pendingTasks()).as("tasks left on the scheduler").isZero();
  }

  private ClientRuntime client(RetryBudget budget, FaultReplica... replicas) {
    return Fixtures.client(Fixtures.ports(replicas))
        .balancer(BalancerKind.ROUND_ROBIN) // a known share of first attempts on the slow replica
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .retryBudget(budget)
        .listener(new CourierListener() {
          @Override
          public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
            if (attempt == 1) {
              firstEndpoint = endpoint;
            }
          }

          @Override
          public void onBudgetExhausted(String method) {
            budgetRefusals.incrementAndGet();
          }

          @Override
          public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
            callNanos.add(nanos);
          }
        })
        .build();
  }

  /**
   * Makes one call; when it started on {@code slow}, waits until {@code slow} runs it, then
   * forwards the hedge delay. Returns who answered.
   */
  private String call(ClientRuntime client, FaultReplica slow, String id) throws Exception {
    int before = slow.executions();
    CompletableFuture<StringValue> call = client.asyncUnary(HEDGED, StringValue.of(id));
    if (firstEndpoint.endsWith(":" + slow.port())) {
      slow.awaitExecutions(before + 1);
      scheduler.forwardNanos(HEDGE_NANOS);
    }
    return call.get(10, TimeUnit.SECONDS).getValue();
  }

  @Test
  void hedgedCallsFinishExactlyAfterTheHedgeDelayWhenTheyStartOnAHungReplica() throws Exception {
    try (FaultReplica slow = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica r2 = FaultReplica.start("r2");
         ClientRuntime client = client(RetryBudget.unlimited(), slow, r1, r2)) {
      warmUp(client, slow, r1, r2);
      slow.mode(FaultReplica.Mode.HANG);
      List<String> answeredBy = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        answeredBy.add(call(client, slow, "h" + i));
      }

      assertThat(slow.executions()).as("calls that started on the slow replica").isGreaterThanOrEqualTo(CALLS / 4);
      assertThat(answeredBy).as("the fast replicas answer every call").doesNotContain("r0");
      assertThat(callNanos).as("call latencies on the client's clock: 0, or the hedge delay")
          .hasSize(CALLS).allMatch(n -> n == 0 || n == HEDGE_NANOS)
          .filteredOn(n -> n == HEDGE_NANOS).hasSize(slow.executions());
    }
  }

  @Test
  void theSlowAttemptIsCancelledWhenAHedgeWins() throws Exception {
    try (FaultReplica slow = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica r2 = FaultReplica.start("r2");
         ClientRuntime client = client(RetryBudget.unlimited(), slow, r1, r2)) {
      warmUp(client, slow, r1, r2);
      slow.mode(FaultReplica.Mode.HANG);
      for (int i = 0; i < CALLS; i++) {
        call(client, slow, "c" + i);
      }

      assertThat(slow.executions()).isGreaterThanOrEqualTo(CALLS / 4);
      slow.awaitCancelled(slow.executions());
      assertThat(slow.cancelled()).as("slow attempts the server saw cancelled").isEqualTo(slow.executions());
    }
  }

  @Test
  void noHedgesWhenTheRetryBudgetIsSpent() throws Exception {
    try (FaultReplica slow = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica r2 = FaultReplica.start("r2");
         ClientRuntime client = client(RetryBudget.of(0.0, 0, Duration.ofSeconds(10), scheduler.clock()),
             slow, r1, r2)) {
      warmUp(client, slow, r1, r2);
      slow.slow(300); // answers for real, 300 ms later
      int calls = 9;
      List<String> answeredBy = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        answeredBy.add(call(client, slow, "b" + i));
      }

      int attempts = slow.executions() + r1.executions() + r2.executions();
      assertThat(attempts).as("attempts: one per call, no hedge").isEqualTo(calls);
      assertThat(answeredBy).as("the slow replica answers the calls that went to it").contains("r0");
      assertThat(budgetRefusals).as("hedges refused: one per call that started on the slow replica")
          .hasValue(slow.executions());
    }
  }

  /** Opens the connections with every replica answering at once; counts start at zero. */
  private void warmUp(ClientRuntime client, FaultReplica slow, FaultReplica... fast) {
    for (int i = 0; i < 6; i++) {
      client.blockingUnary(HEDGED, StringValue.of("warm" + i));
    }
    slow.resetCounts();
    for (FaultReplica f : fast) {
      f.resetCounts();
    }
    callNanos.clear();
  }
}
