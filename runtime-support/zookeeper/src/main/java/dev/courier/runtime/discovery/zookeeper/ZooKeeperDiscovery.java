package dev.courier.runtime.discovery.zookeeper;

import static dev.courier.runtime.internal.Checks.notBlank;
import static dev.courier.runtime.internal.Checks.notNegative;
import static dev.courier.runtime.internal.Checks.positive;

import dev.courier.runtime.discovery.Discovery;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.discovery.RegistrationException;
import dev.courier.runtime.internal.Checks;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;

/**
 * Discovery in ZooKeeper through Curator's service discovery: one ZooKeeper session shared by the
 * {@linkplain #endpointSource sources} clients follow and the {@linkplain #register registrations}
 * servers make.
 *
 * <p><b>Layout.</b> Curator's: an instance of service {@code S} is the node {@code
 * <basePath>/S/<id>} holding Curator's JSON ({@code address}, {@code port}, and an {@link
 * InstancePayload} with weight and metadata), so other Curator-discovery programs interoperate.
 *
 * <p><b>Registrations</b> are ephemeral nodes: a server that crashes disappears when its session
 * expires (after {@link Builder#sessionTimeout}); after a reconnect with a new session Curator
 * writes them again. Closing a registration deletes the node; when ZooKeeper is unreachable at
 * that moment, the delete goes on in the background (Curator's guaranteed delete) and shutdown
 * does not wait.
 *
 * <p><b>Unreachable ZooKeeper.</b> Sources keep delivering nothing new, so clients keep their last
 * known endpoints; the outage and the recovery are each logged once per discovery instance.
 *
 * <p>Thread-safe. {@link #close()} ends every subscription, deletes every open registration and
 * closes the session. Credentials never appear in {@link #toString()} or in logs.
 */
public final class ZooKeeperDiscovery implements Discovery {
  private static final System.Logger LOG = System.getLogger(ZooKeeperDiscovery.class.getName());

  private final ZooKeeperSettings settings;
  private final CuratorFramework client;
  private final ServiceDiscovery<InstancePayload> discovery;
  /** Waits for a late first answer, and deletes registrations while ZooKeeper is unreachable. */
  private final ExecutorService background = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "courier-zookeeper-discovery");
    thread.setDaemon(true);
    return thread;
  });
  /** Delivers, after the removal delay, the sets that lost endpoints. */
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "courier-zookeeper-removals");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean closed = new AtomicBoolean();

  private ZooKeeperDiscovery(ZooKeeperSettings settings) {
    this.settings = settings;
    this.client = CuratorClients.create(settings);
    client.getConnectionStateListenable().addListener(new ReachabilityLog(this));
    client.start();
    this.discovery = ServiceDiscoveryBuilder.builder(InstancePayload.class)
        .client(client)
        .basePath(settings.basePath())
        .serializer(new JsonInstanceSerializer<>(InstancePayload.class))
        .watchInstances(false)
        .build();
    try {
      discovery.start();
    } catch (Exception e) {
      client.close();
      background.shutdownNow();
      scheduler.shutdownNow();
      throw new RegistrationException("cannot start service discovery on " + this, e);
    }
  }

  /** A builder with the defaults described on each setter; {@link Builder#connectString} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A source that follows the instances of {@code serviceName} (the full gRPC service name).
   * Each subscription watches with its own Curator {@code ServiceCache}; on subscription it waits
   * up to {@link Builder#initialWait} for the first answer, after that the first set arrives as
   * soon as ZooKeeper answers.
   */
  @Override
  public EndpointSource endpointSource(String serviceName) {
    Discovery.requireServiceName(serviceName);
    return new ZooKeeperEndpointSource(this, serviceName);
  }

  /**
   * Writes an ephemeral node for {@code serviceName} at {@code endpoint}.
   *
   * @throws RegistrationException when ZooKeeper refuses or cannot be reached
   */
  @Override
  public Registration register(String serviceName, Endpoint endpoint) {
    Discovery.requireServiceName(serviceName);
    Objects.requireNonNull(endpoint, "endpoint");
    return ZooKeeperRegistration.register(this, serviceName, endpoint);
  }

  /** Ends every subscription, deletes every open registration, closes the ZooKeeper session. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (isConnected()) {
      try {
        discovery.close(); // deletes the open registrations
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing service discovery on {0}: {1}", this, e.toString());
      }
    } // else: unreachable; the registrations go when the session expires
    client.close();
    background.shutdownNow();
    scheduler.shutdownNow();
  }

  @Override
  public String toString() {
    return settings.toString();
  }

  ServiceDiscovery<InstancePayload> discovery() {
    return discovery;
  }

  ExecutorService background() {
    return background;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Duration initialWait() {
    return settings.initialWait();
  }

  Duration removalDelay() {
    return settings.removalDelay();
  }

  /** The servers and base path, as sources name them in messages. */
  String connectString() {
    return settings.location();
  }

  boolean isConnected() {
    return client.getZookeeperClient().isConnected();
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Configures a {@link ZooKeeperDiscovery}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private String connectString;
    private String basePath = "/courier/services";
    private Duration sessionTimeout = Duration.ofSeconds(30);
    private Duration connectionTimeout = Duration.ofSeconds(15);
    private Duration initialWait = Duration.ofSeconds(2);
    private Duration removalDelay = Duration.ofMillis(500);
    private RetryPolicy retryPolicy = new ExponentialBackoffRetry(500, 5, 5_000);
    private String user;
    private String password;

    private Builder() {}

    /** ZooKeeper servers, {@code host:port[,host:port...]}; required. */
    public Builder connectString(String connectString) {
      this.connectString = notBlank("connectString", connectString, "host:port[,host:port...]");
      return this;
    }

    /** The parent node of every service; default {@code /courier/services}. */
    public Builder basePath(String basePath) {
      Objects.requireNonNull(basePath, "basePath");
      if (!basePath.startsWith("/") || basePath.length() > 1 && basePath.endsWith("/")) {
        throw Checks.invalid("basePath", Checks.quoted(basePath), "/a/path without trailing /");
      }
      this.basePath = basePath;
      return this;
    }

    /**
     * How long ZooKeeper keeps a silent session (and its registrations) alive; default 30 s. The
     * server may clamp it to its own bounds (2 to 20 ticks by default).
     */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = positive("sessionTimeout", sessionTimeout);
      return this;
    }

    /** How long one connection attempt may take; default 15 s. */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = positive("connectionTimeout", connectionTimeout);
      return this;
    }

    /**
     * How long {@code subscribe} waits for the first answer before returning; default 2 s. Zero:
     * never wait (the first set arrives asynchronously).
     */
    public Builder initialWait(Duration initialWait) {
      this.initialWait = notNegative("initialWait", initialWait);
      return this;
    }

    /**
     * How long a source holds back a set that lost endpoints (then reads the set again); default
     * 0.5 s. Covers Curator's delete-and-recreate of a node when a server re-registers after a new
     * session; keep it well under the servers' grace period.
     */
    public Builder removalDelay(Duration removalDelay) {
      this.removalDelay = notNegative("removalDelay", removalDelay);
      return this;
    }

    /**
     * How Curator retries an operation while ZooKeeper is unreachable; default exponential backoff
     * from 0.5 s, 5 retries, at most 5 s apart.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Authenticates with ZooKeeper's {@code digest} scheme; the nodes this discovery creates are
     * then readable and writable only by sessions with the same credentials ({@code
     * CREATOR_ALL_ACL}). Default: none (open ACL).
     */
    public Builder credentials(String user, String password) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.isEmpty() || user.contains(":")) {
        throw Checks.invalid("user", Checks.quoted(user), "not empty, no ':'");
      }
      this.user = user;
      this.password = password;
      return this;
    }

    /** Connects (in the background: this does not wait for ZooKeeper) and starts discovery. */
    public ZooKeeperDiscovery build() {
      if (connectString == null) {
        throw new IllegalStateException("connectString: null (expected: host:port[,host:port...])");
      }
      return new ZooKeeperDiscovery(new ZooKeeperSettings(connectString, basePath, sessionTimeout,
          connectionTimeout, initialWait, removalDelay, retryPolicy, user, password));
    }

    @Override
    public String toString() {
      return "ZooKeeperDiscovery.Builder{" + connectString + basePath
          + (user != null ? ", credentials=digest:****" : "") + "}";
    }
  }
}
