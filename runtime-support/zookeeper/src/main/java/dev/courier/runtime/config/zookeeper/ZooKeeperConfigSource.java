package dev.courier.runtime.config.zookeeper;

import dev.courier.runtime.config.ConfigSource;
import dev.courier.runtime.config.ConfigVersion;
import dev.courier.runtime.config.Configs;
import dev.courier.runtime.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.data.Stat;

/**
 * Live configuration held in one ZooKeeper node as properties text (the keys of the generated
 * config skeleton), followed with Curator's {@link CuratorCache}. One node holds a whole version,
 * so a version is written atomically: {@code setData} of the new text.
 *
 * <ul>
 *   <li>The node changes: a new version, revision {@code version <n>} (the node's data version).
 *   <li>The node is deleted, or does not exist: a version with no keys, so every live key falls
 *       back to the builder's and the {@code .proto}'s value.
 *   <li>ZooKeeper cannot be reached: no version, one {@link Listener#onUnavailable} per outage;
 *       the last good version stays. After reconnecting, the cache reads the node again.
 *   <li>The node's text is not properties text: no version, {@link Listener#onUnavailable}.
 * </ul>
 *
 * <p>Thread-safe. A source made from a connect string owns its Curator client and closes it in
 * {@link #close()}; one made on a given client leaves it open.
 */
public final class ZooKeeperConfigSource implements ConfigSource, AutoCloseable {
  private final CuratorFramework client;
  private final boolean ownsClient;
  private final String path;
  private final Duration initialWait;

  private ZooKeeperConfigSource(CuratorFramework client, boolean ownsClient, String path, Duration initialWait) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.path = path;
    this.initialWait = initialWait;
  }

  /**
   * The node {@code path} on the servers {@code connectString}, with a Curator client of its own
   * (retrying with exponential backoff; session timeout {@code sessionTimeout}).
   */
  public static ZooKeeperConfigSource of(String connectString, String path, Duration sessionTimeout) {
    return of(connectString, path, sessionTimeout, null, null);
  }

  /**
   * As {@link #of(String, String, Duration)}, authenticated with ZooKeeper's {@code digest}
   * scheme as {@code user:password} (both {@code null} for none), to read a node whose ACL asks for
   * it. The password never appears in {@link #toString()} or in logs.
   */
  public static ZooKeeperConfigSource of(String connectString, String path, Duration sessionTimeout, String user,
      String password) {
    Checks.notBlank("connectString", connectString, "host:port[,host:port...]");
    Checks.positive("sessionTimeout", sessionTimeout);
    if ((user == null) != (password == null)) {
      throw Checks.invalid("credentials", user == null ? "a password without a user" : "a user without a password",
          "both, or neither");
    }
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
        .connectionTimeoutMs(5_000)
        .retryPolicy(new ExponentialBackoffRetry(250, 29, 10_000));
    if (user != null) {
      builder.authorization("digest", (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    CuratorFramework client = builder.build();
    client.start();
    return new ZooKeeperConfigSource(client, true, node(path), Duration.ofSeconds(2));
  }

  /** The node {@code path} through {@code client}, which the caller started and owns. */
  public static ZooKeeperConfigSource on(CuratorFramework client, String path) {
    return new ZooKeeperConfigSource(Objects.requireNonNull(client, "client"), false, node(path), Duration.ofSeconds(2));
  }

  /** A copy that waits up to {@code wait} in {@code subscribe} for the first answer; default 2 s. */
  public ZooKeeperConfigSource withInitialWait(Duration wait) {
    return new ZooKeeperConfigSource(client, ownsClient, path, Checks.notNegative("initialWait", wait));
  }

  private static String node(String path) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
      throw Checks.invalid("path", Checks.quoted(path), "a node path such as /courier/config/shop");
    }
    return path;
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    CuratorCache cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
    CountDownLatch initialized = new CountDownLatch(1);
    AtomicBoolean closed = new AtomicBoolean();
    AtomicBoolean unreachable = new AtomicBoolean();
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forCreatesAndChanges((before, node) -> {
          if (!closed.get() && initialized.getCount() == 0) {
            deliver(listener, node);
          }
        })
        .forDeletes(before -> {
          if (!closed.get()) {
            listener.onVersion(new ConfigVersion(Map.of(), toString(), "deleted"));
          }
        })
        .forInitialized(() -> {
          if (!closed.get()) {
            ChildData node = cache.get(path).orElse(null);
            if (node == null) {
              listener.onVersion(new ConfigVersion(Map.of(), toString(), "no node"));
            } else {
              deliver(listener, node);
            }
          }
          initialized.countDown();
        })
        .build());
    ConnectionStateListener reachability = (c, state) -> {
      if (closed.get()) {
        return;
      }
      if (!state.isConnected() && unreachable.compareAndSet(false, true)) {
        listener.onUnavailable(toString(), "ZooKeeper connection " + state);
      } else if (state.isConnected()) {
        unreachable.set(false);
      }
    };
    client.getConnectionStateListenable().addListener(reachability);
    cache.start();
    try {
      if (!initialized.await(initialWait.toMillis(), TimeUnit.MILLISECONDS) && unreachable.compareAndSet(false, true)) {
        listener.onUnavailable(toString(), "no answer from ZooKeeper within " + initialWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return () -> {
      closed.set(true);
      client.getConnectionStateListenable().removeListener(reachability);
      cache.close();
    };
  }

  private void deliver(Listener listener, ChildData node) {
    byte[] data = node.getData() == null ? new byte[0] : node.getData();
    Stat stat = node.getStat();
    Map<String, String> values;
    try {
      values = Configs.properties(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      listener.onUnavailable(toString(), "node version " + (stat == null ? "?" : stat.getVersion())
          + " is not properties text: " + e.getMessage());
      return;
    }
    listener.onVersion(new ConfigVersion(values, toString(), "version " + (stat == null ? "?" : stat.getVersion())));
  }

  /** Closes the Curator client if this source made it. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "zookeeper://" + client.getZookeeperClient().getCurrentConnectionString() + path;
  }
}
