package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PassiveHealthTest {
  private static final RpcMethod<StringValue, StringValue> ECHO =
      RpcMethod.of(Replicas.ECHO, MethodPolicy.builder().idempotent(true).build());

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private ClientRuntime client(Replicas replicas, RetryPolicy retry) {
    ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .endpoints(replicas.endpoints())
        .balancer(BalancerKind.ROUND_ROBIN)
        .nanoClock(now::get)
        .retryBudget(RetryBudget.unlimited())
        .passiveHealth(new PassiveHealth(3, Duration.ofSeconds(1), Duration.ofSeconds(10)))
        .retry(retry)
        .build();
    toClose.add(client);
    return client;
  }

  private static RetryPolicy attempts(int n) {
    return RetryPolicy.builder().maxAttempts(n).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build();
  }

  @Test
  void failingReplicaIsEjectedThenProbedBackAfterTheInterval() {
    Replicas replicas = Replicas.start(2);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    ClientRuntime client = client(replicas, attempts(2));

    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    int failuresBeforeEjection = replicas.get(0).calls();
    assertThat(failuresBeforeEjection).isEqualTo(3);
    for (int i = 0; i < 20; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    assertThat(replicas.get(0).calls()).as("no calls while ejected").isEqualTo(3);

    replicas.get(0).failWith = null;
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    assertThat(replicas.get(0).calls()).as("probed back and serving").isGreaterThanOrEqualTo(3 + 4);
  }

  @Test
  void ejectionIntervalGrowsWhenTheProbeFails() {
    Replicas replicas = Replicas.start(2);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    ClientRuntime client = client(replicas, attempts(2));
    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    assertThat(replicas.get(0).calls()).as("one failed probe").isEqualTo(4);
    now.addAndGet(Duration.ofMillis(1_500).toNanos());
    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    assertThat(replicas.get(0).calls()).as("second ejection lasts 2 s").isEqualTo(4);
    now.addAndGet(Duration.ofMillis(500).toNanos());
    client.blockingUnary(ECHO, text("x"));
    client.blockingUnary(ECHO, text("x"));
    assertThat(replicas.get(0).calls()).isEqualTo(5);
  }

  @Test
  void whenEveryReplicaIsEjectedCallsStillTryOne() {
    Replicas replicas = Replicas.start(2);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    replicas.get(1).failWith = Status.UNAVAILABLE;
    ClientRuntime client = client(replicas, attempts(1));
    for (int i = 0; i < 6; i++) {
      assertThatThrownBy(() -> client.blockingUnary(ECHO, text("x"))).isInstanceOf(CourierException.class);
    }
    replicas.get(1).failWith = null;
    int before = replicas.totalCalls();
    for (int i = 0; i < 4; i++) {
      try {
        client.blockingUnary(ECHO, text("x"));
      } catch (CourierException e) {
        assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      }
    }
    assertThat(replicas.totalCalls()).isEqualTo(before + 4);
  }

  @Test
  void impossibleSettingsFailNamingTheSettingAndWhatItExpects() {
    assertThatThrownBy(() -> new PassiveHealth(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessage("failureThreshold: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new PassiveHealth(1, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("baseEjection: PT0S (expected: > 0)");
    assertThatThrownBy(() -> new PassiveHealth(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("maxEjection: PT1S (expected: >= baseEjection PT2S)");
    assertThatThrownBy(() -> ChannelFactory.pooled(0, ChannelFactory.plaintext()))
        .hasMessage("connections: 0 (expected: >= 1)");
  }
}
