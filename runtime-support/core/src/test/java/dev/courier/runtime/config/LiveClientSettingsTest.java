package dev.courier.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The balancer, retries and the budget follow live configuration, on real servers. */
@Timeout(60)
class LiveClientSettingsTest {
  private static final String ECHO = "courier.test.Echo/Echo.";
  private Replicas replicas;
  private MutableConfigSource source;
  private LiveConfig live;
  private ClientRuntime client;

  @BeforeEach
  void start() {
    replicas = Replicas.start(2);
    source = new MutableConfigSource(Map.of());
    live = LiveConfig.follow(source);
    client = ClientBuilder.forService("test.Echo", r -> r).endpoints(replicas.endpoints())
        .balancer(dev.courier.runtime.balance.BalancerKind.ROUND_ROBIN) // both replicas answer in turn
        .methods(Replicas.IDEMPOTENT_ECHO).liveConfig(live).build();
  }

  @AfterEach
  void stop() {
    client.close();
    live.close();
    replicas.close();
  }

  @Test
  void theBalancerChangesWhileTheClientRuns() {
    ClientRuntime keyed = client.withHashKey("isbn-1");
    assertThat(answers(keyed, 10)).as("round robin, the builder's balancer").hasSize(2);
    source.push(Map.of(ECHO + "balancer", "CONSISTENT_HASH"));
    assertThat(answers(keyed, 10)).as("one key, one replica").hasSize(1);
    source.push(Map.of());
    assertThat(answers(keyed, 10)).as("the key removed: round robin again").hasSize(2);
  }

  @Test
  void retriesAndTheBudgetChangeWhileTheClientRuns() {
    replicas.get(0).failWith = Status.UNAVAILABLE;
    replicas.get(1).failWith = Status.UNAVAILABLE;
    assertThat(failure().attempts()).as("the default retry policy").hasSize(3);

    source.push(Map.of(ECHO + "retry.maxAttempts", "5"));
    assertThat(failure().attempts()).hasSize(5);

    source.push(Map.of(ECHO + "retry.maxAttempts", "5", "courier.test.Echo.budget.share", "0",
        "courier.test.Echo.budget.floorPerSecond", "0"));
    CourierException noBudget = failure();
    assertThat(noBudget.attempts()).as("a budget of nothing: no retry").hasSize(1);
    assertThat(noBudget.stopReason()).isEqualTo(StopReason.BUDGET);
  }

  @Test
  void grpcsTokenBucketIsALiveBudgetToo() {
    replicas.get(0).failWith = Status.UNAVAILABLE;
    replicas.get(1).failWith = Status.UNAVAILABLE;
    source.push(Map.of(ECHO + "retry.maxAttempts", "5", "courier.test.Echo.budget.maxTokens", "4",
        "courier.test.Echo.budget.tokenRatio", "0.1"));
    CourierException first = failure();
    assertThat(first.attempts()).as("4 tokens: 3 left after the first failure (a retry), 2 after the second (none)")
        .hasSize(2);
    assertThat(first.stopReason()).isEqualTo(StopReason.BUDGET);
    assertThat(failure().attempts()).as("1 left: no retry").hasSize(1);
  }

  @Test
  void aBudgetOfBothKindsOrHalfATokenBucketIsRefused() {
    java.util.List<ConfigEvent> events = new java.util.ArrayList<>();
    live.addListener(events::add);
    source.push(Map.of("courier.test.Echo.budget.share", "0.1", "courier.test.Echo.budget.maxTokens", "4",
        "courier.test.Echo.budget.tokenRatio", "0.1"));
    assertThat(((ConfigEvent.Refused) events.get(0)).problems()).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("courier.test.Echo.budget.maxTokens");
      assertThat(p.reason()).contains("a token bucket and a share of calls for one budget");
    });
    source.push(Map.of("courier.test.Echo.budget.maxTokens", "4"));
    assertThat(((ConfigEvent.Refused) events.get(1)).problems()).singleElement().hasToString(
        "courier.test.Echo.budget.maxTokens=4: a token bucket needs both (expected: courier.test.Echo.budget.tokenRatio too)");
    source.push(Map.of("courier.test.Echo.budget.maxTokens", "5000", "courier.test.Echo.budget.tokenRatio", "0.1"));
    assertThat(((ConfigEvent.Refused) events.get(2)).problems()).singleElement().hasToString(
        "courier.test.Echo.budget.maxTokens=5000: maxTokens: 5000 (expected: 1 to 1000)");
  }

  private CourierException failure() {
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(() -> client.blockingUnary(Replicas.IDEMPOTENT_ECHO, Replicas.text("x")))
        .isInstanceOfSatisfying(CourierException.class, e -> thrown[0] = e);
    return (CourierException) thrown[0];
  }

  private static Set<String> answers(ClientRuntime client, int calls) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < calls; i++) {
      names.add(client.blockingUnary(Replicas.IDEMPOTENT_ECHO, Replicas.text("x")).getValue());
    }
    return names;
  }

}
