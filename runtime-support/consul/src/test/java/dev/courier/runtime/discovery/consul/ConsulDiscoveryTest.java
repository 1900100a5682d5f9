package dev.courier.runtime.discovery.consul;

import static dev.courier.runtime.discovery.EchoFleet.await;
import static dev.courier.runtime.discovery.EchoFleet.awaitAnswers;
import static dev.courier.runtime.discovery.EchoFleet.ports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.discovery.EchoFleet.Recording;
import dev.courier.runtime.discovery.EchoFleet;
import dev.courier.runtime.server.CourierServer;
import io.grpc.Status;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consul discovery with real Courier gRPC servers against {@link FakeConsul}: Consul's documented
 * HTTP answers on 127.0.0.1 (no Consul agent can be installed on these machines).
 */
@Timeout(60)
class ConsulDiscoveryTest {
  private static final String TOKEN = "b1gs3cr3t-acl-token";

  private FakeConsul consul;
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @BeforeEach
  void startFake() throws Exception {
    consul = new FakeConsul();
  }

  @AfterEach
  void stopEverything() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
    consul.close();
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    cleanup.push(closeable);
    return closeable;
  }

  private ConsulDiscovery discovery() {
    return discovery(Duration.ofSeconds(2));
  }

  private ConsulDiscovery discovery(Duration wait) {
    return closeLater(ConsulDiscovery.builder()
        .url(consul.url())
        .aclToken(TOKEN)
        .wait(wait)
        .ttlCheck(Duration.ofSeconds(1))
        .retryDelay(Duration.ofMillis(50), Duration.ofMillis(200))
        .build());
  }

  private static String id(CourierServer server) {
    return EchoFleet.SERVICE + "-127.0.0.1-" + server.port();
  }

  @Test
  void clientsFollowOnlyPassingInstancesThroughBlockingQueries() throws Exception {
    CourierServer s0 = closeLater(EchoFleet.server("s0", discovery()));
    CourierServer s1 = closeLater(EchoFleet.server("s1", discovery()));
    Recording source = new Recording(discovery().endpointSource(EchoFleet.SERVICE));
    ClientRuntime client = closeLater(EchoFleet.client(source));
    await(Duration.ofSeconds(5), "both servers", () -> ports(s0, s1).equals(source.ports()));
    awaitAnswers(client, "s0", "s1");

    consul.ignoreHeartbeatsOf(id(s1)); // else its next heartbeat passes the check again
    consul.setStatus(id(s1), "critical"); // its health check fails
    await(Duration.ofSeconds(3), "s1 leaves", () -> ports(s0).equals(source.ports()));
    awaitAnswers(client, "s0");
    consul.hearHeartbeatsOf(id(s1)); // the next heartbeat passes it
    await(Duration.ofSeconds(3), "s1 is back", () -> ports(s0, s1).equals(source.ports()));

    CourierServer s2 = closeLater(EchoFleet.server("s2", discovery()));
    await(Duration.ofSeconds(3), "s2 joins", () -> ports(s0, s1, s2).equals(source.ports()));
    awaitAnswers(client, "s0", "s1", "s2");

    List<FakeConsul.Request> queries = consul.requests().stream()
        .filter(r -> r.path().equals("/v1/health/service/" + EchoFleet.SERVICE)).toList();
    assertThat(queries).allSatisfy(q -> assertThat(q.query()).contains("passing", "wait=2s", "index="));
    assertThat(queries).anySatisfy(q -> assertThat(q.query()).doesNotContain("index=0"));
  }

  @Test
  void aStableSetCostsOneQueryPerWaitNotAPoll() throws Exception {
    CourierServer s0 = closeLater(EchoFleet.server("s0", discovery()));
    Recording source = new Recording(discovery(Duration.ofSeconds(1)).endpointSource(EchoFleet.SERVICE));
    closeLater(EchoFleet.client(source));
    await(Duration.ofSeconds(5), "s0", () -> ports(s0).equals(source.ports()));
    int before = consul.healthAnswers().size();

    // Heartbeats bump nothing while the status stays passing: each query blocks for the whole
    // wait, asking past the index of the answer before it.
    List<FakeConsul.HealthAnswer> answers = consul.awaitHealthAnswers(before + 2, Duration.ofSeconds(10));
    for (int i = before; i < before + 2; i++) {
      FakeConsul.HealthAnswer answer = answers.get(i);
      assertThat(answer.wantedIndex()).as("query %s waits past", i).isEqualTo(answers.get(i - 1).answeredIndex());
      assertThat(answer.waitRanOut()).as("query %s blocked for the whole wait", i).isTrue();
    }
    List<FakeConsul.Request> queries = consul.requests().stream()
        .filter(r -> r.path().equals("/v1/health/service/" + EchoFleet.SERVICE)).toList();
    assertThat(queries).as("queries sent").hasSizeLessThanOrEqualTo(answers.size() + 1);
    assertThat(queries.get(queries.size() - 1).query()).contains("wait=1s");
  }

  @Test
  void aCrashedServerLeavesWhenItsTtlRunsOutAndAClosedOneIsDeregistered() throws Exception {
    CourierServer s0 = closeLater(EchoFleet.server("s0", discovery()));
    AtomicBoolean s1Crashed = new AtomicBoolean();
    CourierServer s1 = closeLater(EchoFleet.server("s1", EchoFleet.crashable(discovery(), s1Crashed)));
    CourierServer s2 = closeLater(EchoFleet.server("s2", discovery()));
    Recording source = new Recording(discovery().endpointSource(EchoFleet.SERVICE));
    ClientRuntime client = closeLater(EchoFleet.client(source));
    await(Duration.ofSeconds(5), "three servers", () -> ports(s0, s1, s2).equals(source.ports()));

    consul.ignoreHeartbeatsOf(id(s1)); // its heartbeats stop arriving, as from a dead process
    s1Crashed.set(true); // and it never deregisters
    s1.shutdownNow();
    await(Duration.ofSeconds(5), "s1's TTL runs out", () -> ports(s0, s2).equals(source.ports()));
    awaitAnswers(client, "s0", "s2");

    String s0Id = id(s0);
    s0.close();
    assertThat(consul.registeredIds()).doesNotContain(s0Id);
    await(Duration.ofSeconds(3), "s0 deregistered", () -> ports(s2).equals(source.ports()));
    awaitAnswers(client, "s2");
  }

  @Test
  void callsGoOnWhileConsulIsDownItIsLoggedOnceAndTheSetRecovers() throws Exception {
    CourierServer s0 = closeLater(EchoFleet.server("s0", discovery()));
    Recording source = new Recording(discovery().endpointSource(EchoFleet.SERVICE));
    ClientRuntime client = closeLater(EchoFleet.client(source));
    await(Duration.ofSeconds(5), "s0", () -> ports(s0).equals(source.ports()));

    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Logger log = Logger.getLogger(ConsulEndpointSource.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(capture);
    try {
      int before = consul.requests().size();
      consul.stop();
      consul.awaitDroppedHealthQueries(6, Duration.ofSeconds(10)); // several failed queries (backoff 50 to 200 ms)
      awaitAnswers(client, "s0");
      assertThat(source.ports()).isEqualTo(ports(s0));
      assertThat(warnings).filteredOn(r -> r.getMessage().contains("does not answer")).hasSize(1);

      consul.restart();
      CourierServer s1 = closeLater(EchoFleet.server("s1", discovery()));
      await(Duration.ofSeconds(5), "the set follows again", () -> ports(s0, s1).equals(source.ports()));
      awaitAnswers(client, "s0", "s1");
      assertThat(warnings).filteredOn(r -> r.getMessage().contains("answers again")).hasSize(1);
      assertThat(consul.requests().size()).isGreaterThan(before);
    } finally {
      log.removeHandler(capture);
    }
    assertThat(source.history()).noneMatch(List::isEmpty);
  }

  @Test
  void theTokenGoesInTheHeaderNeverInTheUrlOrTheText() {
    ConsulDiscovery discovery = discovery();
    CourierServer s0 = closeLater(EchoFleet.server("s0", discovery));
    Recording source = new Recording(discovery.endpointSource(EchoFleet.SERVICE));
    closeLater(EchoFleet.client(source));
    await(Duration.ofSeconds(5), "s0", () -> ports(s0).equals(source.ports()));

    assertThat(consul.requests()).isNotEmpty().allSatisfy(r -> {
      assertThat(r.token()).isEqualTo(TOKEN);
      assertThat(String.valueOf(r.query())).doesNotContain(TOKEN);
    });
    assertThat(discovery.toString()).contains("token=****").doesNotContain(TOKEN);
    assertThat(source.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aClientThatNeverSawAnEndpointFailsWithUnavailableNamingTheService() {
    ClientRuntime client = closeLater(EchoFleet.client(discovery().endpointSource(EchoFleet.SERVICE)));

    assertThatThrownBy(() -> client.blockingUnary(EchoFleet.WHO_CALL, StringValue.of("who")))
        .isInstanceOfSatisfying(CourierException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getMessage()).contains("no endpoints for " + EchoFleet.SERVICE + " from consul:" + EchoFleet.SERVICE + "@consul{" + consul.url());
        });
  }

  @Test
  void indexRulesFollowConsulsDocumentation() {
    assertThat(ConsulEndpointSource.nextIndex(BigInteger.ZERO, BigInteger.valueOf(12))).isEqualTo(12);
    assertThat(ConsulEndpointSource.nextIndex(BigInteger.valueOf(12), BigInteger.valueOf(5))).isEqualTo(0);
    assertThat(ConsulEndpointSource.nextIndex(BigInteger.valueOf(12), BigInteger.ZERO)).isEqualTo(1);
    assertThat(ConsulEndpointSource.nextIndex(BigInteger.valueOf(12), null)).isEqualTo(1);
  }

  @Test
  void builderChecksItsValues() {
    assertThatThrownBy(() -> ConsulDiscovery.builder().wait(Duration.ZERO))
        .hasMessage("wait: PT0S (expected: > 0)");
    assertThatThrownBy(() -> ConsulDiscovery.builder().ttlCheck(Duration.ofMillis(500)))
        .hasMessage("ttl: PT0.5S (expected: >= 1s)");
    assertThatThrownBy(() -> ConsulDiscovery.builder().url("localhost:8500"))
        .hasMessage("url: 'localhost:8500' (expected: http://host:port or https://host:port)");
    assertThat(ConsulDiscovery.builder().aclToken(TOKEN).toString()).doesNotContain(TOKEN);
  }

}
