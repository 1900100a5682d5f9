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
        .hasMessage("config: 'zookeeper://127.0.0.1:2181' (expected: zookeeper://host:port[,host:port...]/path/of/node)");
    assertThat(new ZooKeeperConfigProvider().schemes()).containsExactly("zookeeper");
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
