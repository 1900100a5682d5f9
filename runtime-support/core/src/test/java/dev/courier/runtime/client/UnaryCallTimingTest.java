package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The timing of one unary call (backoff, per-attempt timeout, the call's deadline, hedge delay)
 * on a manual clock and a manual scheduler, against real servers on loopback: time moves only when
 * the test forwards it, so each rule is checked to the nanosecond. Durations are long (seconds of
 * manual time) so that gRPC's own deadline on the call, which runs on the system clock for the
 * server's sake, never fires during a test.
 */
class UnaryCallTimingTest {
  private static final long MS = 1_000_000L;
  private static final RpcMethod<StringValue, StringValue> ECHO = Replicas.IDEMPOTENT_ECHO;
  /** No jitter: the backoff is exactly 1 s, then 2 s. */
  private static final RetryPolicy EXACT = RetryPolicy.builder().maxAttempts(3)
      .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10)).jitter(0.0).build();

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch retried = new CountDownLatch(1);

  @AfterEach
  void nothingIsLeftScheduled() throws Exception {
    try {
      assertThat(scheduler.pendingTasks()).as("tasks left on the scheduler").isZero();
    } finally {
      for (int i = toClose.size() - 1; i >= 0; i--) {
        toClose.get(i).close();
      }
    }
  }

  private Replicas replicas(int count) {
    Replicas replicas = Replicas.start(count);
    toClose.add(replicas);
    return replicas;
  }

  private ClientRuntime client(Replicas replicas, LongSupplier clock, java.util.function.UnaryOperator<MethodPolicy.Builder> policy) {
    ClientRuntime runtime = ClientBuilder.forService("test.Echo", r -> r)
        .endpoints(replicas.endpoints())
        .nanoClock(clock)
        .scheduler(scheduler)
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .policy(policy)
        .listener(recorder())
        .build();
    toClose.add(runtime);
    return runtime;
  }

  private CourierListener recorder() {
    return new CourierListener() {
      @Override
      public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
        events.add("attempt " + attempt + (hedged ? " hedged" : "") + " at " + scheduler.now() / MS + " ms");
      }

      @Override
      public void onRetry(String method, int nextAttempt, long backoffNanos) {
        events.add("retry " + nextAttempt + " after " + backoffNanos / MS + " ms");
        retried.countDown();
      }

      @Override
      public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
        events.add("end " + code + " after " + nanos / MS + " ms");
      }

      @Override
      public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
        events.add("call " + code + " after " + nanos / MS + " ms, " + attempts + " attempts, stopped by " + stopReason);
      }
    };
  }

  private static CourierException failure(CompletableFuture<StringValue> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (CourierException) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aRetryStartsExactlyWhenItsBackoffIsOver() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    ClientRuntime client = client(replicas, scheduler.clock(), p -> p.retry(EXACT));

    CompletableFuture<StringValue> call = client.asyncUnary(ECHO, text("x"));
    scheduler.awaitPendingTasks(1);
    assertThat(scheduler.pendingDelaysNanos()).containsExactly(1_000 * MS);

    scheduler.forwardNanos(1_000 * MS - 1);
    assertThat(call).isNotDone();
    assertThat(replicas.get(1).calls()).isZero();
    scheduler.forwardNanos(1);

    assertThat(call.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
    assertThat(events).containsExactly("attempt 1 at 0 ms", "end UNAVAILABLE after 0 ms", "retry 2 after 1000 ms",
        "attempt 2 at 1000 ms", "end OK after 0 ms", "call OK after 1000 ms, 2 attempts, stopped by null");
  }

  @Test
  void anAttemptThatRunsOutOfItsPerAttemptTimeoutIsCancelledThenRetriedOnAnotherReplica() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    RetryPolicy perAttempt = EXACT.toBuilder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO)
        .perAttemptTimeout(Duration.ofSeconds(20)).build();
    ClientRuntime client = client(replicas, scheduler.clock(), p -> p.retry(perAttempt));

    CompletableFuture<StringValue> call = client.asyncUnary(ECHO, text("x"));
    scheduler.awaitPendingTasks(1);
    assertThat(scheduler.pendingDelaysNanos()).containsExactly(20_000 * MS);
    scheduler.forwardNanos(20_000 * MS - 1);
    assertThat(call).isNotDone();
    scheduler.forwardNanos(1);

    assertThat(call.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
    assertThat(events).containsExactly("attempt 1 at 0 ms", "end DEADLINE_EXCEEDED after 20000 ms",
        "retry 2 after 0 ms", "attempt 2 at 20000 ms", "end OK after 0 ms",
        "call OK after 20000 ms, 2 attempts, stopped by null");
  }

  @Test
  void theCallFailsWithDeadlineExactlyWhenItsDeadlinePasses() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    replicas.get(1).hang = true;
    ClientRuntime client = client(replicas, scheduler.clock(),
        p -> p.retry(EXACT.toBuilder().maxAttempts(5).build()).timeout(Duration.ofSeconds(30)));

    CompletableFuture<StringValue> call = client.asyncUnary(ECHO, text("x"));
    scheduler.awaitPendingTasks(1);
    assertThat(scheduler.pendingDelaysNanos()).containsExactly(30_000 * MS);
    scheduler.forwardNanos(30_000 * MS - 1);
    assertThat(call).isNotDone();
    scheduler.forwardNanos(1);

    CourierException e = failure(call);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
    assertThat(e.attempts()).hasSize(1);
    assertThat(events).containsExactly("attempt 1 at 0 ms", "end DEADLINE_EXCEEDED after 30000 ms",
        "call DEADLINE_EXCEEDED after 30000 ms, 1 attempts, stopped by DEADLINE");
  }

  @Test
  void aRetryWhoseBackoffWouldEndPastTheDeadlineIsNotScheduled() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    ClientRuntime client = client(replicas, scheduler.clock(), p -> p.retry(EXACT).timeout(Duration.ofMillis(900)));

    CourierException e = failure(client.asyncUnary(ECHO, text("x")));

    assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.attempts()).hasSize(1);
    assertThat(replicas.get(1).calls()).isZero();
  }

  @Test
  void aBackoffTimerThatFiresAfterTheDeadlineFailsTheCallWithoutAnotherAttempt() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    AtomicLong clock = new AtomicLong();
    ClientRuntime client = client(replicas, clock::get, p -> p.retry(EXACT).timeout(Duration.ofMillis(1_500)));

    CompletableFuture<StringValue> call = client.asyncUnary(ECHO, text("x"));
    assertThat(retried.await(10, TimeUnit.SECONDS)).isTrue();
    scheduler.awaitPendingTasks(1); // the backoff timer (attempt 1's deadline timer is cancelled)
    clock.addAndGet(1_600 * MS); // the timer runs late: the client's clock is past the deadline
    scheduler.forwardNanos(1_000 * MS);

    CourierException e = failure(call);
    assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.description()).isEqualTo("deadline of 1500 ms exceeded after 1 attempt (last on "
        + replicas.get(0).endpoint().authority() + ")");
    assertThat(replicas.get(1).calls()).isZero();
  }

  @Test
  void aHedgeStartsExactlyAfterTheHedgeDelayAndTheFirstAnswerWins() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    ClientRuntime client = client(replicas, scheduler.clock(),
        p -> p.hedge(new HedgePolicy(Duration.ofSeconds(2), 1)));

    CompletableFuture<StringValue> call = client.asyncUnary(ECHO, text("x"));
    assertThat(scheduler.pendingDelaysNanos()).containsExactly(2_000 * MS);
    scheduler.forwardNanos(2_000 * MS - 1);
    assertThat(replicas.get(1).calls()).isZero();
    scheduler.forwardNanos(1);

    assertThat(call.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
    assertThat(events).startsWith("attempt 1 at 0 ms", "attempt 2 hedged at 2000 ms");
  }

  @Test
  void aCallAnsweredBeforeTheHedgeDelayLeavesNoHedgeTimer() throws Exception {
    Replicas replicas = replicas(2);
    ClientRuntime client = client(replicas, scheduler.clock(),
        p -> p.hedge(new HedgePolicy(Duration.ofSeconds(2), 1)));

    assertThat(client.asyncUnary(ECHO, text("x")).get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r0");

    assertThat(replicas.totalCalls()).isEqualTo(1);
  }

  @Test
  void cancellingDuringTheBackoffEndsTheCallWhenTheTimerRunsWithoutAnotherAttempt() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    ClientRuntime client = client(replicas, scheduler.clock(), p -> p.retry(EXACT));
    CompletableFuture<StringValue> call = client.asyncUnary(ECHO, text("x"));
    scheduler.awaitPendingTasks(1);

    call.cancel(false);
    scheduler.forwardNanos(1_000 * MS);

    assertThat(call).isCancelled();
    assertThat(replicas.get(1).calls()).isZero();
    assertThat(events).containsExactly("attempt 1 at 0 ms", "end UNAVAILABLE after 0 ms", "retry 2 after 1000 ms",
        "call CANCELLED after 1000 ms, 1 attempts, stopped by CANCELLED");
  }
}
