package dev.courier.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.LiveClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LiveConfig on its own: whole versions, events, what a client being built is told. */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
class LiveConfigTest {
  private static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(Replicas.ECHO, MethodPolicy.DEFAULT);
  private final List<ConfigEvent> events = new ArrayList<>();

  private ClientRuntime client(LiveConfig live) {
    return ClientBuilder.forService("test.Echo", r -> r).endpoints(List.of(Endpoint.of("127.0.0.1", 1)))
        .methods(ECHO).liveConfig(live).build();
  }

  @Test
  void aVersionWithSeveralBadKeysNamesEachOneAndChangesNothing() {
    MutableConfigSource source = new MutableConfigSource(Map.of("courier.test.Echo.timeout", "2s"));
    try (LiveConfig live = LiveConfig.follow(source, events::add); ClientRuntime c = client(live)) {
      source.push(Map.of("courier.test.Echo.timeout", "soon", "courier.test.Echo/Echo.retry.maxAttempts", "0",
          "courier.test.Echo/Echo.hedge.after", "20ms", "courier.test.Echo.targets", "10.0.0.1:1",
          "courier.test.Echo/Ech.timeout", "1s"));
      ConfigEvent.Refused refused = (ConfigEvent.Refused) events.get(events.size() - 1);
      assertThat(refused.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
          "courier.test.Echo.timeout", "courier.test.Echo/Echo.retry.maxAttempts", "courier.test.Echo/Echo.hedge.after",
          "courier.test.Echo.targets", "courier.test.Echo/Ech");
      assertThat(refused.problems()).anySatisfy(p -> assertThat(p.toString())
          .isEqualTo("courier.test.Echo/Echo.retry.maxAttempts=0: maxAttempts: 0 (expected: >= 1)"));
      assertThat(refused.problems()).anySatisfy(p -> assertThat(p.reason()).contains("hedge", "not idempotent"));
      assertThat(live.current().values()).containsExactly(Map.entry("courier.test.Echo.timeout", "2s"));
    }
  }

  @Test
  void aClosedClientNoLongerFollowsNorVetoesAVersion() {
    MutableConfigSource source = new MutableConfigSource(Map.of("courier.test.Echo.timeout", "2s"));
    try (LiveConfig live = LiveConfig.follow(source, events::add)) {
      ClientRuntime c = client(live);
      assertThat(live.followers()).isEqualTo(1);
      c.close();
      assertThat(live.followers()).as("detached on close").isZero();
      // retries on a method that is not idempotent: the client would refuse it, were it still attached
      source.push(Map.of("courier.test.Echo/Echo.retry.retryableCodes", "ABORTED"));
      assertThat(events.get(events.size() - 1)).isInstanceOf(ConfigEvent.Applied.class);
    }
  }

  @Test
  void aClientIsNotBuiltOnAVersionThatDoesNotFitIt() {
    MutableConfigSource source = new MutableConfigSource(Map.of("courier.test.Echo/Echo.retry.retryableCodes", "ABORTED"));
    try (LiveConfig live = LiveConfig.follow(source, events::add)) {
      assertThatThrownBy(() -> client(live)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("does not fit client of test.Echo")
          .hasMessageContaining("courier.test.Echo/Echo.retry.retryableCodes=ABORTED")
          .hasMessageContaining("not idempotent");
    }
  }

  @Test
  void theSourceFailingKeepsTheVersionAndSaysSo() {
    MutableConfigSource source = new MutableConfigSource(Map.of("courier.test.Echo.timeout", "2s"));
    try (LiveConfig live = LiveConfig.follow(source, events::add); ClientRuntime c = client(live)) {
      source.fail("connection refused");
      assertThat(events.get(events.size() - 1)).isEqualTo(
          new ConfigEvent.Unavailable("test", "connection refused", live.current()));
      assertThat(live.current().values()).containsEntry("courier.test.Echo.timeout", "2s");
    }
  }

  @Test
  void theStatusPageSeesTheVersionInForceAndWhereItCameFrom() {
    MutableConfigSource source = new MutableConfigSource(Map.of("courier.test.Echo.timeout", "2s"));
    try (LiveConfig live = LiveConfig.follow(source, events::add); ClientRuntime c = client(live)) {
      source.push(Map.of("courier.test.Echo.timeout", "3s"));
      assertThat(LiveClients.snapshot()).anySatisfy(s ->
          assertThat(s.source()).endsWith("live configuration test revision 1").doesNotContain("3s"));
    }
  }

  @Test
  void itsStatusSaysTheVersionInForceWhereItCameFromAndWhatWentWrongSince() {
    MutableConfigSource source = new MutableConfigSource("test:status", Map.of("courier.test.Echo.timeout", "2s"));
    LiveConfig live = LiveConfig.follow(source);
    try (ClientRuntime c = client(live)) {
      assertThat(live.status()).isEqualTo(new LiveConfig.Status("test:status", "0", 1, 1, ""));
      assertThat(LiveConfig.statusOfAll()).contains(live.status());

      source.push(Map.of("courier.test.Echo.timeout", "soon"));
      assertThat(live.status().revision()).as("the refused version is not in force").isEqualTo("0");
      assertThat(live.status().trouble()).startsWith("refused 1: courier.test.Echo.timeout: ")
          .contains("(expected: a duration such as");

      source.fail("connection refused");
      assertThat(live.status().trouble()).isEqualTo("source unavailable: connection refused");

      source.push(Map.of("courier.test.Echo.timeout", "3s", "courier.test.Echo/Echo.timeout", "1s"));
      assertThat(live.status()).isEqualTo(new LiveConfig.Status("test:status", "2", 2, 1, ""));
    } finally {
      live.close();
    }
    assertThat(LiveConfig.statusOfAll()).as("closed: no longer listed")
        .noneMatch(s -> s.origin().equals("test:status"));
  }

  @Test
  void changesListAddedChangedAndRemovedKeys() {
    assertThat(LiveConfig.changes(Map.of("a", "1", "b", "2"), Map.of("b", "3", "c", "4"))).containsExactly(
        new ConfigChange("a", "1", null), new ConfigChange("b", "2", "3"), new ConfigChange("c", null, "4"));
    assertThat(new ConfigChange("a", "1", null)).hasToString("a removed (was 1)");
  }

  @Test
  void theFileUriTakesItsSettings() {
    assertThat(Configs.fromUri("file:/tmp/x.properties?poll=1s&quiet=10ms")).hasToString("file:/tmp/x.properties");
    assertThatThrownBy(() -> Configs.fromUri("file:/tmp/x.properties?pol=1s"))
        .hasMessage("config: 'file:/tmp/x.properties?pol=1s' (expected: file:/path?poll=5s&quiet=100ms, not 'pol')");
    assertThatThrownBy(() -> Configs.fromUri("etcd://127.0.0.1:2379/x"))
        .hasMessageContaining("for etcd://, add the artifact dev.courier:courier-etcd if Courier has one");
  }
}
