package dev.courier.runtime.config.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.runtime.config.ConfigSource;
import dev.courier.runtime.config.Configs;
import dev.courier.runtime.config.LiveConfigContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The ZooKeeper source on a real ZooKeeper server in the test JVM (Curator's TestingServer). */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
class ZooKeeperConfigSourceTest {
  private static final String NODE = "/courier/config/test";

  @Nested
  class OnARealZooKeeper extends LiveConfigContract {
    @Override
    protected Backend backend() throws Exception {
      return new ZooKeeperBackend();
    }
  }

  @Test
  void theUriNamesTheNode() {
    assertThatThrownBy(() -> Configs.fromUri("zookeeper://127.0.0.1:2181"))
        .hasMessage("config: 'zookeeper://127.0.0.1:2181' (expected: zookeeper://[user:password@]host:port[,host:port...]/path/of/node)");
    assertThatThrownBy(() -> Configs.fromUri("zookeeper://ops@127.0.0.1:2181/courier/config"))
        .hasMessageContaining("zookeeper://****@127.0.0.1:2181/courier/config");
    assertThat(new ZooKeeperConfigProvider().schemes()).containsExactly("zookeeper");
  }

  @Test
  void aNodeOnlyItsCreatorMayReadIsReadWithTheSameCredentials() throws Exception {
    try (TestingServer server = new TestingServer(true);
         CuratorFramework operator = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
             .retryPolicy(new RetryForever(50)).authorization("digest", "ops:s3cret".getBytes(StandardCharsets.UTF_8))
             .build()) {
      operator.start();
      operator.create().creatingParentsIfNeeded().withACL(org.apache.zookeeper.ZooDefs.Ids.CREATOR_ALL_ACL)
          .forPath("/courier/config/secure", "courier.test.Echo.timeout=3s\n".getBytes(StandardCharsets.UTF_8));
      ConfigSource source = Configs.fromUri("zookeeper://ops:s3cret@" + server.getConnectString() + "/courier/config/secure");
      java.util.concurrent.BlockingQueue<dev.courier.runtime.config.ConfigVersion> versions =
          new java.util.concurrent.LinkedBlockingQueue<>();
      try (AutoCloseable subscription = source.subscribe(versions::add)) {
        assertThat(versions.poll(10, java.util.concurrent.TimeUnit.SECONDS).values())
            .containsEntry("courier.test.Echo.timeout", "3s");
        assertThat(source.toString()).doesNotContain("s3cret");
      } finally {
        ((ZooKeeperConfigSource) source).close();
      }
    }
  }

  /** A TestingServer; an operator's own Curator client writes the node. Down is the server stopped. */
  static final class ZooKeeperBackend implements LiveConfigContract.Backend {
    private final TestingServer server;
    private final CuratorFramework operator;
    private final ZooKeeperConfigSource source;

    ZooKeeperBackend() throws Exception {
      server = new TestingServer(true);
      operator = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryForever(50));
      operator.start();
      source = ZooKeeperConfigSource.of(server.getConnectString(), NODE, Duration.ofSeconds(60));
    }

    @Override
    public ConfigSource source() {
      return source;
    }

    @Override
    public void write(String properties) throws Exception {
      byte[] data = properties.getBytes(StandardCharsets.UTF_8);
      if (operator.checkExists().forPath(NODE) == null) {
        operator.create().creatingParentsIfNeeded().forPath(NODE, data);
      } else {
        operator.setData().forPath(NODE, data);
      }
    }

    @Override
    public void takeDown() throws Exception {
      server.stop();
    }

    @Override
    public void bringBack(String properties) throws Exception {
      server.restart();
      write(properties);
    }

    @Override
    public void close() throws Exception {
      source.close();
      operator.close();
      server.close();
    }
  }
}
