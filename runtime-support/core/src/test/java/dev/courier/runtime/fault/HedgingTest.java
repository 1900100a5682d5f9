package dev.courier.runtime.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hedging of an idempotent method ({@code hedge_after} 20 ms) over one replica that answers after
 * 300 ms and two that answer at once; round robin sends every third call to the slow one first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HedgingTest {
  private static final long SLOW_MILLIS = 300;
  private static final int CALLS = 30;
  private static final RpcMethod<StringValue, StringValue> HEDGED = FaultReplica.idempotent(MethodPolicy.builder()
      .timeout(Duration.ofSeconds(2))
      .hedge(new HedgePolicy(Duration.ofMillis(20), 2)));

  @Test
  void hedgedCallsFinishInAboutTheHedgeDelayPlusTheFastLatency() throws Exception {
    try (FaultReplica slow = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica r2 = FaultReplica.start("r2");
         ClientRuntime client = Fixtures.client(Fixtures.ports(slow, r1, r2)).build()) {
      warmUp(client, slow, r1, r2);
      List<Long> millis = new ArrayList<>();
      List<String> answeredBy = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        long t0 = System.nanoTime();
        answeredBy.add(client.blockingUnary(HEDGED, StringValue.of("h" + i)).getValue());
        millis.add((System.nanoTime() - t0) / 1_000_000);
      }

      long max = millis.stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.printf("hedging: latencies %s ms; slow replica started %d, fast ones %d%n", millis,
          slow.executions(), r1.executions() + r2.executions());
      assertThat(slow.executions()).as("calls that started on the slow replica").isGreaterThanOrEqualTo(CALLS / 4);
      assertThat(answeredBy).as("the fast replicas answer every call").doesNotContain("r0");
      assertThat(max).as("slowest call, ms (hedge 20 ms + fast answer; slow replica %d ms)", SLOW_MILLIS)
          .isLessThan(150);
    }
  }

  @Test
  void theSlowAttemptIsCancelledWhenAHedgeWins() throws Exception {
    try (FaultReplica slow = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica r2 = FaultReplica.start("r2");
         ClientRuntime client = Fixtures.client(Fixtures.ports(slow, r1, r2)).build()) {
      warmUp(client, slow, r1, r2);
      for (int i = 0; i < CALLS; i++) {
        client.blockingUnary(HEDGED, StringValue.of("c" + i));
      }

      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (slow.cancelled() < slow.executions() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      System.out.printf("hedging: slow replica started %d, saw %d cancelled%n", slow.executions(), slow.cancelled());
      assertThat(slow.executions()).isGreaterThanOrEqualTo(CALLS / 4);
      assertThat(slow.cancelled()).as("slow attempts the server saw cancelled").isEqualTo(slow.executions());
    }
  }

  @Test
  void noHedgesWhenTheRetryBudgetIsSpent() throws Exception {
    try (FaultReplica slow = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica r2 = FaultReplica.start("r2");
         ClientRuntime client = Fixtures.client(Fixtures.ports(slow, r1, r2))
             .retryBudget(RetryBudget.of(0.0, 0, Duration.ofSeconds(10), System::nanoTime))
             .build()) {
      warmUp(client, slow, r1, r2);
      int calls = 9;
      List<String> answeredBy = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        answeredBy.add(client.blockingUnary(HEDGED, StringValue.of("b" + i)).getValue());
      }

      int attempts = slow.executions() + r1.executions() + r2.executions();
      System.out.printf("hedging, budget spent: %d calls, %d attempts, answered by %s%n", calls, attempts, answeredBy);
      assertThat(attempts).as("attempts: one per call, no hedge").isEqualTo(calls);
      assertThat(answeredBy).as("the slow replica answers the calls that went to it").contains("r0");
    }
  }

  /** Opens the connections with the slow replica fast, then makes it slow; counts start at zero. */
  private static void warmUp(ClientRuntime client, FaultReplica slow, FaultReplica... fast) {
    for (int i = 0; i < 6; i++) {
      client.blockingUnary(HEDGED, StringValue.of("warm" + i));
    }
    slow.slow(SLOW_MILLIS);
    slow.resetCounts();
    for (FaultReplica f : fast) {
      f.resetCounts();
    }
  }
}
