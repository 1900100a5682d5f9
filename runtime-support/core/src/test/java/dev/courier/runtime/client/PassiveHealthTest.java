package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PassiveHealthTest {
  private static final RpcMethod<StringValue, StringValue> ECHO = Replicas.IDEMPOTENT_ECHO;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private ClientRuntime client(Replicas replicas, RetryPolicy retry) {
    return client(replicas, retry, CourierListener.NONE);
  }

  private ClientRuntime client(Replicas replicas, RetryPolicy retry, CourierListener listener) {
    ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .listener(listener)
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
    client.blockingUnary(ECHO, text("x"));
    client.blockingUnary(ECHO, text("x"));
    assertThat(replicas.get(0).calls()).as("one probe").isEqualTo(3 + 1);
    now.addAndGet(PassiveHealth.DEFAULT_SLOW_START.toNanos());
    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    assertThat(replicas.get(0).calls()).as("back at a full share after the slow start").isEqualTo(3 + 1 + 5);
  }

  @Test
  void whileTheProbeIsOutOtherCallsGoElsewhere() throws Exception {
    Replicas replicas = Replicas.start(2);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.UNAVAILABLE;
    List<String> attempted = new CopyOnWriteArrayList<>();
    ClientRuntime client = client(replicas, attempts(2), new CourierListener() {
      @Override
      public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
        attempted.add(endpoint);
      }
    });
    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    replicas.get(0).failWith = null;
    replicas.get(0).hold();
    now.addAndGet(Duration.ofSeconds(1).toNanos());

    String sick = replicas.get(0).endpoint().authority();
    CompletableFuture<StringValue> probe = client.asyncUnary(ECHO, text("x"));
    if (!attempted.get(attempted.size() - 1).equals(sick)) {
      probe.join(); // round robin's turn was replica 1's; the next one is replica 0's
      probe = client.asyncUnary(ECHO, text("x"));
    }
    assertThat(attempted.get(attempted.size() - 1)).as("the call in replica 0's turn probes it").isEqualTo(sick);
    replicas.get(0).awaitCalls(4);
    for (int i = 0; i < 20; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    assertThat(replicas.get(0).calls()).as("only the probe while it is out").isEqualTo(4);

    replicas.get(0).release();
    assertThat(probe.get(10, TimeUnit.SECONDS).getValue()).isEqualTo(replicas.get(0).name);
    now.addAndGet(PassiveHealth.DEFAULT_SLOW_START.toNanos());
    for (int i = 0; i < 10; i++) {
      client.blockingUnary(ECHO, text("x"));
    }
    assertThat(replicas.get(0).calls()).as("back at a full share after the slow start").isEqualTo(4 + 5);
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
    assertThatThrownBy(() -> new PassiveHealth(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(-1)))
        .hasMessage("slowStart: PT-0.001S (expected: >= 0)");
    assertThatThrownBy(() -> ChannelFactory.pooled(0, ChannelFactory.plaintext()))
        .hasMessage("connections: 0 (expected: >= 1)");
  }
}
