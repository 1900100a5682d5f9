package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
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
    return client(replicas, clock, policy, new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)));
  }

  private ClientRuntime client(Replicas replicas, LongSupplier clock,
      java.util.function.UnaryOperator<MethodPolicy.Builder> policy, PassiveHealth health) {
    ClientRuntime runtime = ClientBuilder.forService("test.Echo", r -> r)
        .endpoints(replicas.endpoints())
        .balancer(BalancerKind.ROUND_ROBIN) // attempts in a known order: r0 first, then r1
        .nanoClock(clock)
        .scheduler(scheduler)
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(health)
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
        record("attempt " + attempt + (hedged ? " hedged" : "") + " at " + scheduler.now() / MS + " ms");
      }

      @Override
      public void onRetry(String method, int nextAttempt, long backoffNanos) {
        record("retry " + nextAttempt + " after " + backoffNanos / MS + " ms");
        retried.countDown();
      }

      @Override
      public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
        record("end " + code + " after " + nanos / MS + " ms");
      }

      @Override
      public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
        record("call " + code + " after " + nanos / MS + " ms, " + attempts + " attempts, stopped by " + stopReason);
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

    // Failed by the call's own timer, on the tick itself: not when gRPC, on its network thread,
    // reports the attempt's end (which follows the cancel and is recorded after).
    assertThat(call).isCompletedExceptionally();
    CourierException e = failure(call);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
    assertThat(e.attempts()).hasSize(1);
    assertThat(e.attempts().get(0).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.description()).isEqualTo("deadline of 30000 ms exceeded after 1 attempt (last on "
        + replicas.get(0).endpoint().authority() + ")");
    assertThat(events).startsWith("attempt 1 at 0 ms",
        "call DEADLINE_EXCEEDED after 30000 ms, 1 attempts, stopped by DEADLINE");
    awaitEvent("end DEADLINE_EXCEEDED after 30000 ms"); // the attempt counts against its replica as a timeout
  }

  @Test
  void theCallsTimerCancelsEveryAttemptStillRunningAtItsDeadline() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    replicas.get(1).hang = true;
    ClientRuntime client = client(replicas, scheduler.clock(),
        p -> p.timeout(Duration.ofSeconds(30)).hedge(new HedgePolicy(Duration.ofSeconds(10), 1)));

    CompletableFuture<StringValue> call = client.asyncUnary(ECHO, text("x"));
    scheduler.forwardNanos(10_000 * MS);
    replicas.get(1).awaitCalls(1);
    scheduler.forwardNanos(20_000 * MS);

    assertThat(call).isCompletedExceptionally();
    assertThat(failure(call).attempts()).extracting(CourierException.Attempt::code)
        .containsExactly(Status.Code.DEADLINE_EXCEEDED, Status.Code.DEADLINE_EXCEEDED);
    awaitEvent("end DEADLINE_EXCEEDED after 30000 ms");
    awaitEvent("end DEADLINE_EXCEEDED after 20000 ms");
  }

  private void record(String event) {
    synchronized (events) {
      events.add(event);
      events.notifyAll();
    }
  }

  /** Waits for the listener to record {@code event} (attempt ends arrive on gRPC's threads), or fails after 10 s. */
  private void awaitEvent(String event) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (events) {
      while (!events.contains(event)) {
        long left = until - System.nanoTime();
        assertThat(left).as("waiting for '%s' in %s", event, events).isPositive();
        TimeUnit.NANOSECONDS.timedWait(events, left);
      }
    }
  }

  @Test
  void theProbeOfAHungReplicaGetsHalfOfWhatIsLeftAndTheCallSucceedsElsewhere() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    ClientRuntime client = client(replicas, scheduler.clock(), p -> p.retry(EXACT).timeout(Duration.ofSeconds(30)),
        new PassiveHealth(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO));
    CompletableFuture<StringValue> first = client.asyncUnary(ECHO, text("a")); // round robin: r0, which hangs
    replicas.get(0).awaitCalls(1);
    scheduler.forwardNanos(30_000 * MS);
    assertThat(failure(first).stopReason()).isEqualTo(StopReason.DEADLINE);
    awaitEvent("end DEADLINE_EXCEEDED after 30000 ms"); // r0 is ejected for 1 s
    scheduler.forwardNanos(1_000 * MS);
    assertThat(client.asyncUnary(ECHO, text("b")).get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
    events.clear();

    CompletableFuture<StringValue> probed = client.asyncUnary(ECHO, text("c")); // r0's turn: its probe
    replicas.get(0).awaitCalls(2);
    scheduler.forwardNanos(15_000 * MS - 1);
    assertThat(probed).isNotDone();
    scheduler.forwardNanos(1);
    scheduler.awaitPendingTasks(2); // the backoff and the call's deadline
    scheduler.forwardNanos(1_000 * MS);

    assertThat(probed.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
    assertThat(events).containsExactly("attempt 1 at 31000 ms", "end DEADLINE_EXCEEDED after 15000 ms",
        "retry 2 after 1000 ms", "attempt 2 at 47000 ms", "end OK after 0 ms",
        "call OK after 16000 ms, 2 attempts, stopped by null");
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
    scheduler.awaitPendingTasks(2); // the backoff timer and the call's deadline timer
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
