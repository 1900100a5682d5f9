package dev.courier.runtime.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replicas in this JVM, on loopback, that fail, hang, or go away and come back, under
 * {@value Fixtures#THREADS} threads of calls with the client's defaults (round robin, default
 * retry policy, budget and passive health).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailingReplicasTest {
  private static final int CALLS = 3_000;

  @Test
  void twoOfThreeReplicasFailingEveryCallCostsAtMostOnePointTwoAttemptsPerCall() throws Exception {
    RpcMethod<StringValue, StringValue> method = FaultReplica.idempotent(MethodPolicy.builder());
    try (FaultReplica r0 = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica r2 = FaultReplica.start("r2");
         ClientRuntime client = Fixtures.client(Fixtures.ports(r0, r1, r2)).build()) {
      r1.mode(FaultReplica.Mode.FAIL);
      r2.mode(FaultReplica.Mode.FAIL);
      LoadRun run = LoadRun.run(CALLS, Fixtures.THREADS, "id-", id -> client.blockingUnary(method, StringValue.of(id)));

      double attemptsPerCall = (double) (r0.executions() + r1.executions() + r2.executions()) / CALLS;
      assertThat(run.successRate()).as("success rate (%s):%s", run.summary(), run.sampleFailures(5))
          .isGreaterThanOrEqualTo(0.99);
      assertThat(attemptsPerCall).as("attempts per call, counted on the servers (r1 %d, r2 %d)", r1.executions(),
          r2.executions()).isLessThanOrEqualTo(1.2);
    }
  }

  @Test
  void hangingReplicaCostsAtMostOnePercentOfCallsWithA200MsDeadline() throws Exception {
    RpcMethod<StringValue, StringValue> method =
        FaultReplica.idempotent(MethodPolicy.builder().timeout(Duration.ofMillis(200))
            .retry(RetryPolicy.builder().perAttemptTimeout(Duration.ofMillis(120))
                .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)).build())
            .hedge(new HedgePolicy(Duration.ofMillis(50), 1)));
    try (FaultReplica r0 = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica hung = FaultReplica.start("r2");
         ClientRuntime client = Fixtures.client(Fixtures.ports(r0, r1, hung)).build()) {
      LoadRun.Call call = id -> client.blockingUnary(method, StringValue.of(id));
      // Warm-up with every replica healthy: connections open and the call path compiled, so that a
      // JIT pause on this 2-core machine is not counted as the hung replica's cost.
      LoadRun.run(500, Fixtures.THREADS, "warm-", call);
      hung.mode(FaultReplica.Mode.HANG);
      LoadRun run = LoadRun.run(CALLS, Fixtures.THREADS, "id-", call);

      assertThat(run.successRate()).as("success rate (%s; attempts on the hung replica %d):%s", run.summary(),
          hung.executions(), run.sampleFailures(5)).isGreaterThanOrEqualTo(0.99);
    }
  }

  @Test
  void replicaRestartedOnTheSameAddressComesBackIntoRotation() throws Exception {
    RpcMethod<StringValue, StringValue> method = FaultReplica.idempotent(MethodPolicy.builder());
    try (FaultReplica r0 = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         FaultReplica back = FaultReplica.start("r2");
         ClientRuntime client = Fixtures.client(Fixtures.ports(r0, r1, back)).build()) {
      LoadRun.Call call = id -> client.blockingUnary(method, StringValue.of(id));
      LoadRun.run(300, Fixtures.THREADS, "warm-", call);
      back.stop();
      LoadRun down = LoadRun.run(1_000, Fixtures.THREADS, "down-", call);
      back.restart();
      long restartedAt = System.nanoTime();

      int batch = 300;
      double share = 0;
      int batches = 0;
      int failed = down.failed();
      while (share < 0.25 && System.nanoTime() - restartedAt < TimeUnit.SECONDS.toNanos(20)) {
        int before = back.executions();
        LoadRun run = LoadRun.run(batch, Fixtures.THREADS, "up" + batches + "-", call);
        failed += run.failed();
        share = (double) (back.executions() - before) / batch;
        batches++;
        if (share < 0.25) {
          // Paces the batches while the replica's ejection interval runs out on the system clock
          // and grpc reconnects to it: its comeback is a share of calls that grows, with no single
          // event a latch could wait for.
          Thread.sleep(100);
        }
      }
      assertThat(share).as("share of the restarted replica in the last batch of %d calls (%d batches, %.1f s)",
          batch, batches, (System.nanoTime() - restartedAt) / 1e9).isGreaterThanOrEqualTo(0.25);
      assertThat(failed).as("failed calls while it was down and after").isZero();
    }
  }

  @Test
  void failedNonIdempotentCallSaysItMayHaveRun() {
    try (FaultReplica r0 = FaultReplica.start("r0");
         ClientRuntime client = Fixtures.client(Fixtures.ports(r0)).build()) {
      r0.mode(FaultReplica.Mode.FAIL);
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> client.blockingUnary(FaultReplica.once(), StringValue.of("x")));

      assertThat(e.code()).as(e.getMessage()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
      assertThat(r0.executions()).isEqualTo(1);
      assertThat(e.getMessage()).containsIgnoringCase("may have run");
    }
  }
}
