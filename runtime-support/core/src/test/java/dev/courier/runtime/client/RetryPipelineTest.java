package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.discovery.Endpoint;
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
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryPipelineTest {
  private static final RpcMethod<StringValue, StringValue> NOT_IDEMPOTENT =
      RpcMethod.of(Replicas.ECHO, MethodPolicy.DEFAULT);
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT = Replicas.IDEMPOTENT_ECHO;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private Replicas replicas(int count) {
    Replicas replicas = Replicas.start(count);
    toClose.add(replicas);
    return replicas;
  }

  private ClientBuilder<ClientRuntime> builder(List<Endpoint> endpoints) {
    return ClientBuilder.forService("test.Echo", runtime -> {
      toClose.add(runtime);
      return runtime;
    }).endpoints(endpoints);
  }

  @Test
  void nonIdempotentCallThatReachedAServerIsNeverRetried() {
    Replicas replicas = replicas(3);
    for (int i = 0; i < 3; i++) {
      replicas.get(i).failWith = Status.UNAVAILABLE.withDescription("overloaded");
    }
    ClientRuntime client = builder(replicas.endpoints()).retryBudget(RetryBudget.unlimited()).build();

    for (int call = 0; call < 10; call++) {
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> client.blockingUnary(NOT_IDEMPOTENT, text("x")));
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.attempts()).hasSize(1);
      assertThat(e.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
    }
    assertThat(replicas.totalCalls()).isEqualTo(10);
  }

  @Test
  void nonIdempotentCallIsRetriedElsewhereWhenTheConnectionWasRefused() {
    Replicas replicas = replicas(1);
    List<Endpoint> endpoints = List.of(Replicas.refusing(), replicas.get(0).endpoint());
    ClientRuntime client = builder(endpoints).balancer(BalancerKind.ROUND_ROBIN)
        .retry(RetryPolicy.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();

    for (int call = 0; call < 10; call++) {
      assertThat(client.blockingUnary(NOT_IDEMPOTENT, text("x")).getValue()).isEqualTo("r0");
    }
    assertThat(replicas.totalCalls()).isEqualTo(10);
  }

  @Test
  void attemptsThatFoundNoServerDoNotUseUpMaxAttemptsWhileEndpointsAreLeftToTry() {
    Replicas replicas = replicas(1);
    List<Endpoint> endpoints = List.of(Replicas.refusing(), Replicas.refusing(), replicas.get(0).endpoint());
    ClientRuntime client = builder(endpoints).balancer(BalancerKind.ROUND_ROBIN)
        .passiveHealth(new PassiveHealth(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .retryBudget(RetryBudget.unlimited())
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();

    // Round robin sends some calls to both refused endpoints before the live one: with two
    // attempts counted they would fail.
    for (int call = 0; call < 12; call++) {
      assertThat(client.blockingUnary(NOT_IDEMPOTENT, text("x")).getValue()).isEqualTo("r0");
    }
    assertThat(replicas.totalCalls()).isEqualTo(12);
  }

  @Test
  void attemptsThatFoundNoServerAreBoundedByTheEndpointsWhenNoneIsReachable() {
    List<Endpoint> endpoints = List.of(Replicas.refusing(), Replicas.refusing(), Replicas.refusing());
    ClientRuntime client = builder(endpoints)
        .retryBudget(RetryBudget.unlimited())
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));

    // Two uncounted attempts on the first two endpoints, then two counted ones.
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.attempts()).hasSize(4);
    assertThat(e.attempts().stream().map(CourierException.Attempt::endpoint).distinct()).hasSize(3);
    assertThat(e.stopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void callThatMayNotBeRetriedMakesOneAttemptEvenWhenNoServerWasFound() {
    List<Endpoint> endpoints = List.of(Replicas.refusing(), Replicas.refusing());
    ClientRuntime client = builder(endpoints).retry(RetryPolicy.NONE).build();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));

    assertThat(e.attempts()).hasSize(1);
    assertThat(e.stopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  /** A call that hangs on replica 0 (round robin starts there), once replica 0 has received it. */
  private static CompletableFuture<StringValue> callStuckOnReplicaZero(
      ClientRuntime client, RpcMethod<StringValue, StringValue> method, Replicas replicas) throws Exception {
    CompletableFuture<StringValue> call = client.asyncUnary(method, text("x"));
    replicas.get(0).awaitCalls(1);
    assertThat(call).isNotDone();
    assertThat(replicas.get(1).calls()).isZero();
    return call;
  }

  @Test
  void idempotentCallCutOffByAServerGoingAwayIsRetriedOnAnotherReplica() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN).build();
    CompletableFuture<StringValue> stuck = callStuckOnReplicaZero(client, IDEMPOTENT, replicas);

    replicas.get(0).close(); // resets its streams: RST_STREAM CANCEL, which grpc reports as CANCELLED

    assertThat(stuck.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
  }

  @Test
  void nonIdempotentCallCutOffByAServerGoingAwayFailsAsUnavailableAndSaysItMayHaveRun() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN).build();
    CompletableFuture<StringValue> stuck = callStuckOnReplicaZero(client, NOT_IDEMPOTENT, replicas);

    replicas.get(0).close();

    java.util.concurrent.ExecutionException failed =
        catchThrowableOfType(java.util.concurrent.ExecutionException.class, () -> stuck.get(5, TimeUnit.SECONDS));
    CourierException e = (CourierException) failed.getCause();
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.description()).startsWith("the server reset the call");
    assertThat(e.attempts()).hasSize(1);
    assertThat(e.getMessage()).contains("may have run");
  }

  @Test
  void idempotentRetryGoesToAnotherEndpoint() {
    Replicas replicas = replicas(2);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    ClientRuntime client = builder(replicas.endpoints())
        .passiveHealth(new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();

    for (int call = 0; call < 20; call++) {
      assertThat(client.blockingUnary(IDEMPOTENT, text("x")).getValue()).isEqualTo("r1");
    }
    assertThat(replicas.get(1).calls()).isEqualTo(20);
  }

  @Test
  void budgetKeepsAttemptsWithinCallsTimesOnePlusShareplusFloorWhenEveryReplicaFails() {
    Replicas replicas = replicas(3);
    for (int i = 0; i < 3; i++) {
      replicas.get(i).failWith = Status.UNAVAILABLE;
    }
    double share = 0.1;
    int floorPerSecond = 1;
    Duration window = Duration.ofSeconds(10);
    ClientRuntime client = builder(replicas.endpoints())
        .retryBudget(RetryBudget.of(share, floorPerSecond, window, System::nanoTime))
        .retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();

    int calls = 300;
    int stoppedByBudget = 0;
    for (int call = 0; call < calls; call++) {
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> client.blockingUnary(IDEMPOTENT, text("x")));
      if (e.stopReason() == StopReason.BUDGET) {
        stoppedByBudget++;
      }
    }
    assertThat(replicas.totalCalls()).isLessThanOrEqualTo((int) (calls * (1 + share)) + floorPerSecond * 10);
    assertThat(stoppedByBudget).isGreaterThan(calls / 2);
  }

  @Test
  void withoutBudgetEveryConfiguredAttemptIsMade() {
    Replicas replicas = replicas(2);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    replicas.get(1).failWith = Status.UNAVAILABLE;
    ClientRuntime client = builder(replicas.endpoints())
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .retry(RetryPolicy.builder().maxAttempts(7).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));
    assertThat(e.attempts()).hasSize(7);
    assertThat(e.stopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(replicas.totalCalls()).isEqualTo(7);
  }

  @Test
  void finalFailureNamesAttemptsEndpointsStatusesAndWhatStoppedIt() {
    Replicas replicas = replicas(2);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("r0 down");
    replicas.get(1).failWith = Status.RESOURCE_EXHAUSTED.withDescription("r1 full");
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN)
        .retryBudget(RetryBudget.unlimited())
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));
    assertThat(e.attempts()).extracting(CourierException.Attempt::endpoint)
        .containsExactlyInAnyOrderElementsOf(replicas.endpoints().stream().map(Endpoint::authority).toList());
    assertThat(e.attempts()).extracting(CourierException.Attempt::code)
        .containsExactlyInAnyOrder(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getMessage()).contains("after 2 attempts", replicas.get(0).endpoint().authority(),
        "r0 down", "r1 full", "stopped by max attempts");
  }

  // The timing tests below run on a manual clock and scheduler (see UnaryCallTimingTest): time
  // moves only when the test forwards it. Their durations are seconds of manual time, so that
  // gRPC's own deadline on each call (on the system clock, for the server) never fires first.

  @Test
  void aDeadlineAgainstHangingReplicasFailsTheCallWhenItPassesNotAfterEveryRetry() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    replicas.get(1).hang = true;
    ManualScheduler scheduler = manualScheduler();
    ClientRuntime client = builder(replicas.endpoints())
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .retryBudget(RetryBudget.unlimited())
        .retry(RetryPolicy.builder().maxAttempts(5).build())
        .deadline(Duration.ofSeconds(20))
        .build();

    for (int call = 0; call < 2; call++) {
      long start = scheduler.now();
      CompletableFuture<StringValue> future = client.asyncUnary(IDEMPOTENT, text("x"));
      scheduler.forwardNanos(Duration.ofSeconds(20).toNanos() - 1);
      assertThat(future).isNotDone();
      scheduler.forwardNanos(1);
      CourierException e = failure(future);
      assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
      assertThat(e.attempts()).hasSize(1);
      assertThat(scheduler.now() - start).isEqualTo(Duration.ofSeconds(20).toNanos());
      assertThat(scheduler.pendingTasks()).isZero();
    }
  }

  @Test
  void idempotentAttemptThatRunsOutOfItsPerAttemptTimeoutIsRetriedOnAnotherReplica() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    ManualScheduler scheduler = manualScheduler();
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN)
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .deadline(Duration.ofSeconds(60))
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO)
            .perAttemptTimeout(Duration.ofSeconds(10)).build())
        .build();

    // Round robin starts each call on the hanging replica: every call needs its retry.
    for (int call = 0; call < 4; call++) {
      long start = scheduler.now();
      CompletableFuture<StringValue> future = client.asyncUnary(IDEMPOTENT, text("x"));
      replicas.get(0).awaitCalls(call + 1);
      scheduler.forwardNanos(Duration.ofSeconds(10).toNanos() - 1);
      assertThat(future).isNotDone();
      scheduler.forwardNanos(1);
      assertThat(future.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
      assertThat(scheduler.now() - start).isEqualTo(Duration.ofSeconds(10).toNanos());
      assertThat(scheduler.pendingTasks()).isZero();
    }
    assertThat(replicas.get(0).calls()).isEqualTo(4);
    assertThat(replicas.get(1).calls()).isEqualTo(4);
  }

  @Test
  void hedgeOnAnotherReplicaAnswersWhenTheFirstAttemptIsSlow() throws Exception {
    Replicas replicas = replicas(2);
    replicas.get(0).hold(); // answers only when released: slower than any hedge
    RpcMethod<StringValue, StringValue> hedged = RpcMethod.of(Replicas.ECHO, MethodPolicy.builder()
        .idempotent(true).hedge(new HedgePolicy(Duration.ofSeconds(5), 1)).build());
    ManualScheduler scheduler = manualScheduler();
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN)
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .retryBudget(RetryBudget.unlimited()).build();

    // Round robin starts each call on the held replica; the hedge goes to the other.
    for (int call = 0; call < 4; call++) {
      long start = scheduler.now();
      CompletableFuture<StringValue> future = client.asyncUnary(hedged, text("x"));
      replicas.get(0).awaitCalls(call + 1);
      scheduler.forwardNanos(Duration.ofSeconds(5).toNanos());
      assertThat(future.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
      assertThat(scheduler.now() - start).isEqualTo(Duration.ofSeconds(5).toNanos());
      assertThat(scheduler.pendingTasks()).isZero();
    }
    assertThat(replicas.get(0).calls()).isEqualTo(4);
    replicas.get(0).release();
  }

  @Test
  void hedgesSpendTheRetryBudget() throws Exception {
    Replicas replicas = replicas(2);
    RpcMethod<StringValue, StringValue> hedged = RpcMethod.of(Replicas.ECHO, MethodPolicy.builder()
        .idempotent(true).hedge(new HedgePolicy(Duration.ofMillis(20), 1)).build());
    ManualScheduler scheduler = manualScheduler();
    List<String> refused = new CopyOnWriteArrayList<>();
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN)
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .listener(new dev.courier.runtime.observe.CourierListener() {
          @Override
          public void onBudgetExhausted(String method) {
            refused.add(method);
          }
        })
        .retryBudget(RetryBudget.of(0.0, 0, Duration.ofSeconds(10), scheduler.clock())).build();

    // Both replicas hold their answers until released, so every call still runs at the hedge delay.
    for (int call = 0; call < 4; call++) {
      replicas.get(0).hold();
      replicas.get(1).hold();
      CompletableFuture<StringValue> future = client.asyncUnary(hedged, text("x"));
      scheduler.forwardNanos(Duration.ofMillis(20).toNanos()); // the hedge timer: the budget refuses
      replicas.get(0).release();
      replicas.get(1).release();
      future.get(10, TimeUnit.SECONDS);
      assertThat(scheduler.pendingTasks()).isZero();
    }
    assertThat(replicas.totalCalls()).as("no hedge without budget").isEqualTo(4);
    assertThat(refused).as("one refused hedge per call").hasSize(4);
  }

  @Test
  void perCallDeadlineOverridesTheDeclaredOne() throws Exception {
    Replicas replicas = replicas(1);
    replicas.get(0).hang = true;
    ManualScheduler scheduler = manualScheduler();
    ClientRuntime client = builder(replicas.endpoints()).deadline(Duration.ofSeconds(30))
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .build();

    CompletableFuture<StringValue> future =
        client.withDeadline(Duration.ofSeconds(10)).asyncUnary(IDEMPOTENT, text("x"));
    assertThat(scheduler.pendingDelaysNanos()).as("the attempt's deadline timer")
        .containsExactly(Duration.ofSeconds(10).toNanos());
    scheduler.forwardNanos(Duration.ofSeconds(10).toNanos());

    CourierException e = failure(future);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  private ManualScheduler manualScheduler() {
    ManualScheduler scheduler = new ManualScheduler();
    toClose.add(scheduler::shutdownNow);
    return scheduler;
  }

  private static CourierException failure(CompletableFuture<StringValue> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (CourierException) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void backoffBeforeEachRetryIsExactWithInjectedRandomness() throws Exception {
    Replicas replicas = replicas(1);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    ManualScheduler scheduler = manualScheduler();
    ClientRuntime client = builder(replicas.endpoints())
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .random(fixed(0.5))
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(300)).multiplier(2.0).jitter(1.0).build())
        .build();

    CompletableFuture<StringValue> call = client.asyncUnary(IDEMPOTENT, text("x"));
    List<Long> delaysMillis = new ArrayList<>();
    for (int retry = 1; retry <= 4; retry++) {
      replicas.get(0).awaitCalls(retry);
      scheduler.awaitPendingTasks(1);
      long delay = scheduler.pendingDelaysNanos().get(0);
      delaysMillis.add(TimeUnit.NANOSECONDS.toMillis(delay));
      scheduler.forwardNanos(delay);
    }

    assertThat(failure(call).stopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(delaysMillis).containsExactly(50L, 100L, 150L, 150L);
    assertThat(replicas.totalCalls()).isEqualTo(5);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  /** Always draws {@code value}. */
  static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return (long) (value * Long.MAX_VALUE);
      }

      @Override
      public int nextInt(int bound) {
        return (int) (value * bound);
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }
}
