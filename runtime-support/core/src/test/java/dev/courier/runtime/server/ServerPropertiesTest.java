package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.config.ConfigException;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server keys of the configuration skeleton ({@code courier.server.<setting>}): the skeleton
 * shows every one with its default, {@link CourierServer.Builder#configure} reads every one it
 * shows, and a value read reaches the running server's wire.
 */
class ServerPropertiesTest {
  /** The skeleton the plugin renders for the golden test's shop.Inventory (GoldenFilesTest keeps it current). */
  private static final Path SKELETON =
      Path.of("../../plugin/src/test/resources/golden/docs/shop/Inventory-config.properties.txt");
  /** Limits unlike the defaults in every setting. */
  private static final ServerLimits OTHERS = new ServerLimits(1, Duration.ofSeconds(1), Duration.ofSeconds(1),
      Duration.ofSeconds(1), Duration.ofSeconds(1), true, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 1);

  private CourierServer server;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void theSkeletonShowsEveryServerSettingWithItsDefaultAndEveryOneIsRead() throws IOException {
    assertThat(SKELETON).as("the plugin's golden skeleton, from runtime-support/core").exists();
    Properties shown = new Properties();
    for (String line : Files.readAllLines(SKELETON)) {
      if (line.startsWith("#courier.server.")) {
        String key = line.substring(1, line.indexOf('='));
        shown.setProperty(key, line.substring(line.indexOf('=') + 1));
      }
    }
    assertThat(List.copyOf(shown.stringPropertyNames())).containsExactlyInAnyOrderElementsOf(
        ServerProperties.SETTINGS.stream().map(s -> ServerProperties.PREFIX + s).toList());

    // Read over limits unlike the defaults: only a key that is read and shows the default gives it back.
    ServerProperties read = ServerProperties.read(shown, OTHERS);
    assertThat(read.limits()).isEqualTo(ServerLimits.DEFAULT);
    assertThat(read.maxInboundMessageSize()).isEqualTo(CourierServer.Builder.DEFAULT_MAX_INBOUND_MESSAGE_SIZE);
    assertThat(read.maxCalls()).as("shown empty: the default depends on the JVM").isNull();
  }

  @Test
  void everySettingIsReadByItsName() {
    ServerProperties read = ServerProperties.read(properties(
        "courier.server.maxConcurrentCallsPerConnection", "7",
        "courier.server.idleTimeout", "2m",
        "courier.server.maxConnectionAge", "1h",
        "courier.server.maxConnectionAgeGrace", "30s",
        "courier.server.permitKeepAliveTime", "20s",
        "courier.server.permitKeepAliveWithoutCalls", "TRUE",
        "courier.server.maxResetsPerWindow", "300",
        "courier.server.resetWindow", "30s",
        "courier.server.handshakeTimeout", "500ms",
        "courier.server.maxInboundMetadataSize", "16384",
        "courier.server.maxInboundMessageSize", "1048576",
        "courier.server.maxCalls", "50",
        "courier.shop.Inventory.timeout", "1s"), ServerLimits.DEFAULT);

    assertThat(read.limits()).isEqualTo(new ServerLimits(7, Duration.ofMinutes(2), Duration.ofHours(1),
        Duration.ofSeconds(30), Duration.ofSeconds(20), true, 300, Duration.ofSeconds(30), Duration.ofMillis(500),
        16384));
    assertThat(read.maxInboundMessageSize()).isEqualTo(1048576);
    assertThat(read.maxCalls()).isEqualTo(50);
  }

  @Test
  void emptyValuesAndOtherKeysChangeNothing() {
    ServerProperties read = ServerProperties.read(properties("courier.server.idleTimeout", " ",
        "courier.server.maxCalls", "", "courier.shop.Inventory.timeout", "1s"), OTHERS);

    assertThat(read).isEqualTo(new ServerProperties(OTHERS, null, null));
  }

  @Test
  void aBadKeyOrValueFailsNamingTheKeyAndNothingApplies() {
    assertThatThrownBy(() -> configure("courier.server.idleTimout", "2m"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("courier.server.idleTimout: unknown server setting 'idleTimout' (expected one of"
            + " [maxConcurrentCallsPerConnection, idleTimeout,");
    assertThatThrownBy(() -> configure("courier.server.idleTimeout", "soon"))
        .hasMessage("courier.server.idleTimeout: 'soon' (expected: a duration such as 250ms, 2s, 5m)");
    assertThatThrownBy(() -> configure("courier.server.handshakeTimeout", "0s"))
        .hasMessage("courier.server.handshakeTimeout: '0s' (expected: > 0)");
    assertThatThrownBy(() -> configure("courier.server.resetWindow", "500ms"))
        .hasMessage("courier.server.resetWindow: '500ms' (expected: >= 1s; grpc counts resets per whole second)");
    assertThatThrownBy(() -> configure("courier.server.maxCalls", "0"))
        .hasMessage("courier.server.maxCalls: '0' (expected: >= 1)");
    assertThatThrownBy(() -> configure("courier.server.maxInboundMetadataSize", "8k"))
        .hasMessage("courier.server.maxInboundMetadataSize: '8k' (expected: a whole number >= 1)");
    assertThatThrownBy(() -> configure("courier.server.permitKeepAliveWithoutCalls", "yes"))
        .hasMessage("courier.server.permitKeepAliveWithoutCalls: 'yes' (expected: true or false)");
    assertThatThrownBy(() -> CourierServer.builder().executor(Runnable::run)
        .configure(properties("courier.server.maxCalls", "10")))
        .hasMessageStartingWith("courier.server.maxCalls: this server runs its methods on executor(...)");
  }

  @Test
  void configuredLimitsReachTheRunningServer() throws Exception {
    server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .callExecutor(CallExecutor.platformThreads(10))
        .configure(properties("courier.server.maxConcurrentCallsPerConnection", "7",
            "courier.server.idleTimeout", "300ms", "courier.server.maxCalls", "1"))
        .addService(TestServices.service(TestServices.call(0), request -> {
          if (request.getValue().equals("block")) {
            started.countDown();
            release.await();
          }
          return request;
        }))
        .start();

    // maxConcurrentCallsPerConnection and idleTimeout: in the server's SETTINGS, and its GOAWAY
    try (RawHttp2Client client = RawHttp2Client.connect(server.port(), true)) {
      assertThat(client.serverSettings().get(5, TimeUnit.SECONDS).maxConcurrentStreams()).isEqualTo(7L);
      client.closed().get(10, TimeUnit.SECONDS);
      assertThat(client.goAway().get(1, TimeUnit.SECONDS).debugData()).isEqualTo("max_idle");
    }
    // maxCalls: one call at a time, on the platform threads the builder chose
    ManagedChannel channel = TestServices.plaintextChannel(server);
    try {
      Future<StringValue> blocked = ClientCalls.futureUnaryCall(
          channel.newCall(TestServices.call(0).descriptor(), CallOptions.DEFAULT), StringValue.of("block"));
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue(); // the blocked call holds the only place
      StatusRuntimeException refused = null;
      try {
        ClientCalls.blockingUnaryCall(channel, TestServices.call(0).descriptor(),
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("next"));
      } catch (StatusRuntimeException e) {
        refused = e;
      }
      assertThat(refused).isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription()).contains("(maxCalls: 1)");
      release.countDown();
      assertThat(blocked.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("block");
    } finally {
      TestServices.close(channel);
    }
  }

  private static void configure(String key, String value) {
    CourierServer.builder().configure(properties(key, value));
  }

  private static Properties properties(String... keysAndValues) {
    Properties p = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return p;
  }
}
