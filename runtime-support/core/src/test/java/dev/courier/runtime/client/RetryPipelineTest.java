package dev.courier.runtime.client;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryPipelineTest {
  private static final RpcMethod<StringValue, StringValue> NOT_IDEMPOTENT =
      RpcMethod.of(Replicas.ECHO, MethodPolicy.DEFAULT);
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT =
      RpcMethod.of(Replicas.ECHO, MethodPolicy.builder().idempotent(true).build());

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
      assertThat(e.stoppedBy()).isEqualTo("not retryable");
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
    assertThat(e.stoppedBy()).isEqualTo("max attempts");
  }

  @Test
  void callThatMayNotBeRetriedMakesOneAttemptEvenWhenNoServerWasFound() {
    List<Endpoint> endpoints = List.of(Replicas.refusing(), Replicas.refusing());
    ClientRuntime client = builder(endpoints).retry(RetryPolicy.NONE).build();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));

    assertThat(e.attempts()).hasSize(1);
    assertThat(e.stoppedBy()).isEqualTo("max attempts");
  }

  /** Sends calls until one hangs on replica 0 (round robin alternates); returns that call. */
  private static CompletableFuture<StringValue> callStuckOnReplicaZero(
      ClientRuntime client, RpcMethod<StringValue, StringValue> method, Replicas replicas) throws Exception {
    for (int i = 0; i < 4; i++) {
      CompletableFuture<StringValue> call = client.asyncUnary(method, text("x"));
      try {
        assertThat(call.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
      } catch (java.util.concurrent.TimeoutException hanging) {
        assertThat(replicas.get(0).calls()).isEqualTo(1);
        return call;
      }
    }
    throw new AssertionError("no call reached the hanging replica");
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
      if ("budget".equals(e.stoppedBy())) {
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
    assertThat(e.stoppedBy()).isEqualTo("max attempts");
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

  @Test
  void deadlineOf200MillisAgainstAHangingReplicaFailsInAbout200MillisNotAfterEveryRetry() {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    replicas.get(1).hang = true;
    ClientRuntime client = builder(replicas.endpoints())
        .retryBudget(RetryBudget.unlimited())
        .retry(RetryPolicy.builder().maxAttempts(5).build())
        .deadline(Duration.ofMillis(200))
        .build();

    for (int call = 0; call < 2; call++) {
      long start = System.nanoTime();
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> client.blockingUnary(IDEMPOTENT, text("x")));
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(e.stoppedBy()).isEqualTo("deadline");
      assertThat(tookMillis).isBetween(150L, 600L);
    }
  }

  @Test
  void idempotentAttemptThatRunsOutOfItsPerAttemptTimeoutIsRetriedOnAnotherReplica() {
    Replicas replicas = replicas(2);
    replicas.get(0).hang = true;
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN)
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .deadline(Duration.ofSeconds(5))
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO)
            .perAttemptTimeout(Duration.ofMillis(100)).build())
        .build();

    for (int call = 0; call < 4; call++) {
      long start = System.nanoTime();
      assertThat(client.blockingUnary(IDEMPOTENT, text("x")).getValue()).isEqualTo("r1");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000L);
    }
    assertThat(replicas.get(0).calls()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void hedgeOnAnotherReplicaAnswersWhenTheFirstAttemptIsSlow() {
    Replicas replicas = replicas(2);
    replicas.get(0).delayMillis = 400;
    RpcMethod<StringValue, StringValue> hedged = RpcMethod.of(Replicas.ECHO, MethodPolicy.builder()
        .idempotent(true).hedge(new HedgePolicy(Duration.ofMillis(50), 1)).build());
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN)
        .retryBudget(RetryBudget.unlimited()).build();

    for (int call = 0; call < 4; call++) {
      long start = System.nanoTime();
      assertThat(client.blockingUnary(hedged, text("x")).getValue()).isEqualTo("r1");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(350L);
    }
    assertThat(replicas.get(0).calls()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void hedgesSpendTheRetryBudget() {
    Replicas replicas = replicas(2);
    replicas.get(0).delayMillis = 300;
    RpcMethod<StringValue, StringValue> hedged = RpcMethod.of(Replicas.ECHO, MethodPolicy.builder()
        .idempotent(true).hedge(new HedgePolicy(Duration.ofMillis(20), 1)).build());
    ClientRuntime client = builder(replicas.endpoints()).balancer(BalancerKind.ROUND_ROBIN)
        .retryBudget(RetryBudget.of(0.0, 0, Duration.ofSeconds(10), System::nanoTime)).build();

    for (int call = 0; call < 4; call++) {
      client.blockingUnary(hedged, text("x"));
    }
    assertThat(replicas.totalCalls()).as("no hedge without budget").isEqualTo(4);
  }

  @Test
  void perCallDeadlineOverridesTheDeclaredOne() {
    Replicas replicas = replicas(1);
    replicas.get(0).hang = true;
    ClientRuntime client = builder(replicas.endpoints()).deadline(Duration.ofSeconds(30)).build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.withDeadline(Duration.ofMillis(100)).blockingUnary(IDEMPOTENT, text("x")))
        .isInstanceOfSatisfying(CourierException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(600L);
  }

  @Test
  void backoffBeforeEachRetryIsExactWithInjectedRandomness() throws Exception {
    Replicas replicas = replicas(1);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    RecordingScheduler scheduler = new RecordingScheduler();
    toClose.add(scheduler::shutdownNow);
    ClientRuntime client = builder(replicas.endpoints())
        .scheduler(scheduler)
        .random(fixed(0.5))
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(new PassiveHealth(1_000, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(300)).multiplier(2.0).jitter(1.0).build())
        .build();

    CompletableFuture<StringValue> call = client.asyncUnary(IDEMPOTENT, text("x"));
    assertThatThrownBy(call::join).hasCauseInstanceOf(CourierException.class);
    assertThat(scheduler.delaysMillis).containsExactly(50L, 100L, 150L, 150L);
    assertThat(replicas.totalCalls()).isEqualTo(5);
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

  /** Records each requested delay, then runs the task at once. */
  static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<Long> delaysMillis = new CopyOnWriteArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      delaysMillis.add(unit.toMillis(delay));
      return super.schedule(command, 0, unit);
    }
  }
}
