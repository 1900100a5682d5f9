package dev.courier.runtime.discovery.zookeeper;

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
import dev.courier.runtime.discovery.ServiceRegistry;
import dev.courier.runtime.server.CourierServer;
import io.grpc.Status;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper discovery against a real ZooKeeper server in this JVM (Curator's TestingServer on
 * 127.0.0.1, tick 100 ms, so sessions may be 0.1 to 2 s) and real Courier gRPC servers.
 */
@Tag("slow") // a real ZooKeeper server in this JVM; skipped by -Pfast
@Timeout(60)
class ZooKeeperDiscoveryTest {
  private static final Duration SESSION = Duration.ofSeconds(1);

  @TempDir Path dataDir;
  private TestingServer zookeeper;
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @BeforeEach
  void startZooKeeper() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    InstanceSpec spec = new InstanceSpec(new File(dataDir.toFile(), "zk"), port, -1, -1, true, -1, 100, -1,
        Map.of("clientPortAddress", "127.0.0.1", "admin.enableServer", "false"));
    zookeeper = new TestingServer(spec, true);
  }

  @AfterEach
  void stopEverything() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
    zookeeper.close();
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    cleanup.push(closeable);
    return closeable;
  }

  private ZooKeeperDiscovery discovery(String connectString) {
    return closeLater(ZooKeeperDiscovery.builder()
        .connectString(connectString)
        .sessionTimeout(SESSION)
        .connectionTimeout(Duration.ofSeconds(1))
        .removalDelay(Duration.ofMillis(300))
        .build());
  }

  @Test
  void clientsFollowServersThatRegisterCrashJoinAndLeave() throws Exception {
    ZooKeeperDiscovery clientSide = discovery(zookeeper.getConnectString());
    CourierServer s0 = closeLater(EchoFleet.server("s0", discovery(zookeeper.getConnectString())));
    // s1 reaches ZooKeeper through a proxy, so that cutting it looks like a crashed process.
    TcpProxy s1Link = closeLater(new TcpProxy(zookeeper.getPort()));
    AtomicBoolean s1Crashed = new AtomicBoolean();
    ServiceRegistry s1Registry = EchoFleet.crashable(discovery(s1Link.connectString()), s1Crashed);
    CourierServer s1 = closeLater(EchoFleet.server("s1", s1Registry));

    CourierServer s2 = closeLater(EchoFleet.server("s2", discovery(zookeeper.getConnectString())));
    Recording source = new Recording(clientSide.endpointSource(EchoFleet.SERVICE));
    ClientRuntime client = closeLater(EchoFleet.client(source));
    assertThat(source.ports()).isEqualTo(ports(s0, s1, s2));
    awaitAnswers(client, "s0", "s1", "s2");

    try (Caller caller = new Caller(client)) {
      s1Crashed.set(true);
      s1Link.close(); // no close-session request: ZooKeeper expires the session
      s1.shutdownNow();
      await(Duration.ofSeconds(10), "s1 leaves the set", () -> source.ports().equals(ports(s0, s2)));

      CourierServer s3 = closeLater(EchoFleet.server("s3", discovery(zookeeper.getConnectString())));
      await(Duration.ofSeconds(5), "s3 joins", () -> source.ports().equals(ports(s0, s2, s3)));
      awaitAnswers(client, "s0", "s2", "s3");

      s0.close(); // graceful: deregistered before draining, no session expiry needed
      assertThat(registeredPorts(clientSide)).as("registered once close() returns").isEqualTo(ports(s2, s3));
      await(Duration.ofSeconds(2), "s0 leaves the set", () -> source.ports().equals(ports(s2, s3)));
      caller.assertKeptSucceeding();
    }
  }

  @Test
  void callsGoOnWhileZooKeeperIsDownAndTheSetRecoversWhenItReturns() throws Exception {
    ZooKeeperDiscovery clientSide = discovery(zookeeper.getConnectString());
    CourierServer s0 = closeLater(EchoFleet.server("s0", discovery(zookeeper.getConnectString())));
    CourierServer s1 = closeLater(EchoFleet.server("s1", discovery(zookeeper.getConnectString())));
    Recording source = new Recording(clientSide.endpointSource(EchoFleet.SERVICE));
    ClientRuntime client = closeLater(EchoFleet.client(source));
    assertThat(source.ports()).isEqualTo(ports(s0, s1));

    CountDownLatch sessionLost = new CountDownLatch(1);
    CuratorFramework observer = closeLater(sessionObserver(sessionLost));
    try (Caller caller = new Caller(client)) {
      zookeeper.stop();
      // The observer has the discovery's session timeout and is cut off at the same moment, so
      // once it declares its session lost, the timeout has passed for the discovery's clients too.
      assertThat(sessionLost.await(20, TimeUnit.SECONDS)).as("the session timeout passes").isTrue();
      assertThat(observer.getZookeeperClient().isConnected()).isFalse();
      awaitAnswers(client, "s0", "s1");
      assertThat(source.ports()).isEqualTo(ports(s0, s1));

      zookeeper.restart(); // same port, same data directory
      CourierServer s2 = closeLater(EchoFleet.server("s2", discovery(zookeeper.getConnectString())));
      try {
        await(Duration.ofSeconds(15), "the set recovers and follows again",
            () -> source.ports().equals(ports(s0, s1, s2)));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; delivered: " + source.history()
            + "; registered in ZooKeeper now: " + registeredPorts(clientSide) + "; expected " + ports(s0, s1, s2), e);
      }
      awaitAnswers(client, "s0", "s1", "s2");
      caller.assertKeptSucceeding();
    }
    assertThat(source.history()).noneMatch(List::isEmpty);
  }

  /** The ports registered in ZooKeeper now, read directly rather than through a cache. */
  private static Set<Integer> registeredPorts(ZooKeeperDiscovery discovery) throws Exception {
    Set<Integer> ports = new TreeSet<>();
    discovery.discovery().queryForInstances(EchoFleet.SERVICE).forEach(instance -> ports.add(instance.getPort()));
    return ports;
  }

  /** A Curator client with the discovery's session timeout that counts down {@code lost} when its session is lost. */
  private CuratorFramework sessionObserver(CountDownLatch lost) throws InterruptedException {
    CuratorFramework observer = CuratorFrameworkFactory.builder()
        .connectString(zookeeper.getConnectString())
        .sessionTimeoutMs(Math.toIntExact(SESSION.toMillis()))
        .connectionTimeoutMs(1000)
        .retryPolicy(new RetryOneTime(100))
        .build();
    observer.getConnectionStateListenable().addListener((c, state) -> {
      if (state == ConnectionState.LOST) {
        lost.countDown();
      }
    });
    observer.start();
    assertThat(observer.blockUntilConnected(10, TimeUnit.SECONDS)).as("the observer connects").isTrue();
    return observer;
  }

  @Test
  void aClientThatNeverSawAnEndpointFailsWithUnavailableNamingTheService() {
    ZooKeeperDiscovery clientSide = discovery(zookeeper.getConnectString());
    ClientRuntime client = closeLater(EchoFleet.client(clientSide.endpointSource(EchoFleet.SERVICE)));

    assertThatThrownBy(() -> client.blockingUnary(EchoFleet.WHO_CALL, StringValue.of("who")))
        .isInstanceOfSatisfying(CourierException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getMessage()).contains("no endpoints for " + EchoFleet.SERVICE + " from zookeeper:" + EchoFleet.SERVICE + "@" + zookeeper.getConnectString() + "/courier/services");
        });
  }

  @Test
  void credentialsProtectTheNodesAndNeverShow() throws Exception {
    ZooKeeperDiscovery secured = closeLater(ZooKeeperDiscovery.builder()
        .connectString(zookeeper.getConnectString())
        .basePath("/secured")
        .credentials("courier", "s3cret")
        .build());
    CourierServer s0 = closeLater(EchoFleet.server("s0", secured));
    Recording source = new Recording(secured.endpointSource(EchoFleet.SERVICE));
    assertThat(closeLater(EchoFleet.client(source))).isNotNull();
    await(Duration.ofSeconds(5), "s0 seen with credentials", () -> ports(s0).equals(source.ports()));

    assertThat(secured.toString()).contains("digest:****").doesNotContain("s3cret");
    try (CuratorFramework anonymous = CuratorFrameworkFactory.newClient(
        zookeeper.getConnectString(), new RetryOneTime(100))) {
      anonymous.start();
      assertThatThrownBy(() -> anonymous.getChildren().forPath("/secured/" + EchoFleet.SERVICE))
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
  }

  @Test
  void builderChecksItsValues() {
    assertThatThrownBy(() -> ZooKeeperDiscovery.builder().sessionTimeout(Duration.ZERO))
        .hasMessage("sessionTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> ZooKeeperDiscovery.builder().basePath("courier"))
        .hasMessage("basePath: 'courier' (expected: /a/path without trailing /)");
    assertThatThrownBy(() -> ZooKeeperDiscovery.builder().build())
        .hasMessage("connectString: null (expected: host:port[,host:port...])");
  }

  /** Calls every 5 ms on a scheduler thread of its own and remembers the first failure. */
  static final class Caller implements AutoCloseable {
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "caller");
      thread.setDaemon(true);
      return thread;
    });

    Caller(ClientRuntime client) {
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          client.blockingUnary(EchoFleet.WHO_CALL, StringValue.of("who"));
          calls.incrementAndGet();
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }, 0, 5, TimeUnit.MILLISECONDS);
    }

    void assertKeptSucceeding() {
      assertThat(failure.get()).as("a call failed").isNull();
      assertThat(calls.get()).isPositive();
    }

    @Override
    public void close() {
      scheduler.shutdown();
      try {
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
          throw new AssertionError("a call still running 10 s after the caller stopped");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
