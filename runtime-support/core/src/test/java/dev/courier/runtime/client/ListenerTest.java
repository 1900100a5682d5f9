package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CallStats;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listeners hear calls, attempts, retries, spent budgets and ejections, in order, on real servers. */
class ListenerTest {
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT = Replicas.IDEMPOTENT_ECHO;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void aRetriedCallIsHeardAttemptByAttempt() {
    Replicas replicas = Replicas.start(2);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    List<String> events = new CopyOnWriteArrayList<>();
    CourierListener recorder = new CourierListener() {
      @Override
      public void onCallStart(String method) {
        events.add("start " + method);
      }

      @Override
      public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
        events.add("attempt " + attempt + (endpoint.equals(replicas.get(0).endpoint().authority()) ? " down" : " up"));
      }

      @Override
      public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
        events.add("attempt end " + code);
      }

      @Override
      public void onRetry(String method, int nextAttempt, long backoffNanos) {
        events.add("retry " + nextAttempt);
      }

      @Override
      public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
        events.add("end " + code + " after " + attempts);
      }
    };
    // Round robin starts with the first endpoint: the failing one.
    ClientRuntime client = client(List.of(replicas.get(0).endpoint(), replicas.get(1).endpoint()), recorder);

    client.blockingUnary(IDEMPOTENT, Replicas.text("hi"));

    assertThat(events).containsExactly("start test.Echo/Echo", "attempt 1 down", "attempt end UNAVAILABLE",
        "retry 2", "attempt 2 up", "attempt end OK", "end OK after 2");
  }

  @Test
  void spentBudgetAndEjectionsAreCountedAndAThrowingListenerFailsNoCall() {
    Replicas replicas = Replicas.start(1);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    CallStats stats = new CallStats();
    CourierListener throwing = new CourierListener() {
      @Override
      public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
        throw new IllegalStateException("listener bug");
      }
    };
    ClientRuntime client = client(replicas.endpoints(), CourierListener.all(List.of(throwing, stats)),
        RetryBudget.of(0.0, 0, java.time.Duration.ofSeconds(10), System::nanoTime));

    for (int i = 0; i < 6; i++) {
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> client.blockingUnary(IDEMPOTENT, Replicas.text("x")));
      assertThat(e.stopReason()).isEqualTo(StopReason.BUDGET);
    }

    assertThat(stats.calls()).isEqualTo(6);
    assertThat(stats.failed()).isEqualTo(6);
    assertThat(stats.budgetExhausted()).isEqualTo(6);
    assertThat(stats.attempts()).isEqualTo(6);
    assertThat(stats.ejections()).as("5 failures in a row eject").isEqualTo(1);
    assertThat(stats.summary()).startsWith("6 calls (6 failed), 6 attempts, 0 retries, 0 hedges, 6 budget refusals, 1 ejections");
  }

  private ClientRuntime client(List<Endpoint> endpoints, CourierListener listener) {
    return client(endpoints, listener, null);
  }

  private ClientRuntime client(List<Endpoint> endpoints, CourierListener listener, RetryBudget budget) {
    ClientBuilder<ClientRuntime> b = ClientBuilder.forService("test.Echo", runtime -> {
      toClose.add(runtime);
      return runtime;
    }).endpoints(endpoints).listener(listener).balancer(BalancerKind.ROUND_ROBIN); // the first endpoint first
    if (budget != null) {
      b.retryBudget(budget);
    }
    return b.build();
  }
}
