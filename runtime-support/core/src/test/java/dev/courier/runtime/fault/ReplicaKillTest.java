package dev.courier.runtime.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.retry.StopReason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One of three loopback replicas is a separate JVM killed with SIGKILL a third of the way through
 * {@value #CALLS} calls on {@value Fixtures#THREADS} threads (the 10,000-call run is
 * {@code FaultComparison} in the benchmarks).
 */
@Tag("slow") // starts replica JVMs and kills one with SIGKILL
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplicaKillTest {
  private static final int CALLS = 3_000;
  private static final int KILL_AT = CALLS / 3;

  @Test
  void idempotentCallsDoNotFailWhenAReplicaIsKilled() throws Exception {
    RpcMethod<StringValue, StringValue> method = FaultReplica.idempotent(MethodPolicy.builder());
    try (FaultReplica r0 = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         ReplicaProcess doomed = ReplicaProcess.start("r2");
         ClientRuntime client = Fixtures.client(List.of(r0.port(), r1.port(), doomed.port()))
             .balancer(BalancerKind.ROUND_ROBIN).build()) {
      LoadRun run = LoadRun.run(CALLS, Fixtures.THREADS, "id-",
          id -> client.blockingUnary(method, StringValue.of(id)), KILL_AT, () -> kill(doomed));
      doomed.drain();

      assertThat(doomed.executions()).as("calls the killed replica ran").isBetween(1, CALLS - 1);
      assertThat(run.failed()).as("failed calls (%s):%s", run.summary(), run.sampleFailures(5)).isZero();
    }
  }

  @Test
  void nonIdempotentCallsRunAtMostOnceWhenAReplicaIsKilled() throws Exception {
    RpcMethod<StringValue, StringValue> method = FaultReplica.once();
    try (FaultReplica r0 = FaultReplica.start("r0");
         FaultReplica r1 = FaultReplica.start("r1");
         ReplicaProcess doomed = ReplicaProcess.start("r2");
         ClientRuntime client = Fixtures.client(List.of(r0.port(), r1.port(), doomed.port()))
             .balancer(BalancerKind.ROUND_ROBIN).build()) {
      LoadRun run = LoadRun.run(CALLS, Fixtures.THREADS, "once-",
          id -> client.blockingUnary(method, StringValue.of(id)), KILL_AT, () -> kill(doomed));
      doomed.drain();

      Map<String, Integer> twice = Fixtures.executedMoreThanOnce(List.of(r0.perId(), r1.perId(), doomed.perId()));
      assertThat(twice).as("request ids executed more than once (%s)", run.summary()).isEmpty();
      assertThat(run.failed()).as("calls in flight on the killed replica, at most one per thread:%s",
              run.sampleFailures(3))
          .isLessThanOrEqualTo(Fixtures.THREADS);
      run.failures.forEach((id, e) -> {
        assertThat(e).isInstanceOf(CourierException.class);
        CourierException ce = (CourierException) e;
        assertThat(ce.stopReason()).as(ce.getMessage()).isEqualTo(StopReason.NOT_RETRYABLE);
        assertThat(ce.attempts()).as(ce.getMessage()).isNotEmpty();
        assertThat(r0.perId().containsKey(id) || r1.perId().containsKey(id))
            .as("a failed call did not run on a surviving replica: " + id).isFalse();
      });
    }
  }

  private static void kill(ReplicaProcess doomed) {
    try {
      doomed.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
