package dev.courier.runtime.discovery.zookeeper;

import dev.courier.runtime.discovery.Discovery;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.discovery.RegistrationException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.DefaultACLProvider;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

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

  private final String connectString;
  private final String basePath;
  private final Duration sessionTimeout;
  private final Duration initialWait;
  private final Duration removalDelay;
  private final ScheduledExecutorService scheduler;
  private final boolean authenticated;
  private final CuratorFramework client;
  private final ServiceDiscovery<InstancePayload> discovery;
  private final ExecutorService background;
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();

  private ZooKeeperDiscovery(Builder b) {
    this.connectString = b.connectString;
    this.basePath = b.basePath;
    this.sessionTimeout = b.sessionTimeout;
    this.initialWait = b.initialWait;
    this.removalDelay = b.removalDelay;
    this.authenticated = b.user != null;
    CuratorFrameworkFactory.Builder curator = CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
        .connectionTimeoutMs(Math.toIntExact(b.connectionTimeout.toMillis()))
        .retryPolicy(b.retryPolicy);
    if (authenticated) {
      byte[] auth = (b.user + ":" + b.password).getBytes(StandardCharsets.UTF_8);
      curator.authorization("digest", auth).aclProvider(new DefaultACLProvider() {
        @Override
        public List<ACL> getDefaultAcl() {
          return ZooDefs.Ids.CREATOR_ALL_ACL;
        }

        @Override
        public List<ACL> getAclForPath(String path) {
          return ZooDefs.Ids.CREATOR_ALL_ACL;
        }
      });
    }
    this.client = curator.build();
    this.background = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "courier-zookeeper-discovery");
      thread.setDaemon(true);
      return thread;
    });
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "courier-zookeeper-removals");
      thread.setDaemon(true);
      return thread;
    });
    client.getConnectionStateListenable().addListener((c, state) -> connectionChanged(state));
    client.start();
    this.discovery = ServiceDiscoveryBuilder.builder(InstancePayload.class)
        .client(client)
        .basePath(basePath)
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

  @Override
  public Registration register(String serviceName, Endpoint endpoint) {
    Discovery.requireServiceName(serviceName);
    Objects.requireNonNull(endpoint, "endpoint");
    InstancePayload payload = new InstancePayload();
    payload.setWeight(endpoint.weight());
    payload.setMetadata(endpoint.metadata());
    ServiceInstance<InstancePayload> instance;
    try {
      instance = ServiceInstance.<InstancePayload>builder()
          .name(serviceName)
          .id(UUID.randomUUID().toString())
          .address(endpoint.host())
          .port(endpoint.port())
          .serviceType(ServiceType.DYNAMIC)
          .payload(payload)
          .build();
      discovery.registerService(instance);
    } catch (Exception e) {
      throw new RegistrationException(
          "cannot register " + serviceName + " at " + endpoint + " in " + this + ": " + e, e);
    }
    LOG.log(Level.INFO, "registered {0} at {1} in {2}", serviceName, endpoint, this);
    return new ZooKeeperRegistration(instance, endpoint);
  }

  /** Ends every subscription, deletes every open registration, closes the ZooKeeper session. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (client.getZookeeperClient().isConnected()) {
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
    return "zookeeper{" + connectString + basePath + ", sessionTimeout=" + sessionTimeout
        + (authenticated ? ", credentials=digest:****" : "") + "}";
  }

  ServiceDiscovery<InstancePayload> discovery() {
    return discovery;
  }

  ExecutorService background() {
    return background;
  }

  Duration initialWait() {
    return initialWait;
  }

  Duration removalDelay() {
    return removalDelay;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  String connectString() {
    return connectString + basePath;
  }

  private void connectionChanged(ConnectionState state) {
    if (!state.isConnected() && reachable.compareAndSet(true, false)) {
      LOG.log(Level.WARNING, "{0} is unreachable ({1}): clients keep their last known endpoints until it"
          + " answers again", this, state);
    } else if (state.isConnected() && reachable.compareAndSet(false, true)) {
      LOG.log(Level.INFO, "{0} answers again ({1})", this, state);
    }
  }


  /** Deletes its node once; does not wait when ZooKeeper cannot be reached. */
  private final class ZooKeeperRegistration implements Registration {
    private final ServiceInstance<InstancePayload> instance;
    private final Endpoint endpoint;
    private final AtomicBoolean done = new AtomicBoolean();

    ZooKeeperRegistration(ServiceInstance<InstancePayload> instance, Endpoint endpoint) {
      this.instance = instance;
      this.endpoint = endpoint;
    }

    @Override
    public void close() {
      if (!done.compareAndSet(false, true) || closed.get()) {
        return;
      }
      if (client.getZookeeperClient().isConnected()) {
        unregister();
      } else {
        LOG.log(Level.WARNING, "{0} is unreachable: {1} at {2} is deregistered in the background, or"
            + " disappears when its session expires", ZooKeeperDiscovery.this, instance.getName(), endpoint);
        background.execute(this::unregister);
      }
    }

    private void unregister() {
      try {
        discovery.unregisterService(instance);
        LOG.log(Level.INFO, "deregistered {0} at {1} from {2}", instance.getName(), endpoint, ZooKeeperDiscovery.this);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "cannot deregister {0} at {1} from {2}: {3}",
            instance.getName(), endpoint, ZooKeeperDiscovery.this, e.toString());
      }
    }
  }

  /** Configures a {@link ZooKeeperDiscovery}. Not thread-safe. */
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
      Objects.requireNonNull(connectString, "connectString");
      if (connectString.isBlank()) {
        throw new IllegalArgumentException("connectString: '" + connectString + "' (expected: host:port[,host:port...])");
      }
      this.connectString = connectString;
      return this;
    }

    /** The parent node of every service; default {@code /courier/services}. */
    public Builder basePath(String basePath) {
      Objects.requireNonNull(basePath, "basePath");
      if (!basePath.startsWith("/") || basePath.length() > 1 && basePath.endsWith("/")) {
        throw new IllegalArgumentException("basePath: '" + basePath + "' (expected: /a/path without trailing /)");
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
      Objects.requireNonNull(initialWait, "initialWait");
      if (initialWait.isNegative()) {
        throw new IllegalArgumentException("initialWait: " + initialWait + " (expected: >= 0)");
      }
      this.initialWait = initialWait;
      return this;
    }

    /**
     * How long a source holds back a set that lost endpoints (then reads the set again); default
     * 0.5 s. Covers Curator's delete-and-recreate of a node when a server re-registers after a new
     * session; keep it well under the servers' grace period.
     */
    public Builder removalDelay(Duration removalDelay) {
      Objects.requireNonNull(removalDelay, "removalDelay");
      if (removalDelay.isNegative()) {
        throw new IllegalArgumentException("removalDelay: " + removalDelay + " (expected: >= 0)");
      }
      this.removalDelay = removalDelay;
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
        throw new IllegalArgumentException("user: '" + user + "' (expected: not empty, no ':')");
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
      return new ZooKeeperDiscovery(this);
    }

    @Override
    public String toString() {
      return "ZooKeeperDiscovery.Builder{" + connectString + basePath
          + (user != null ? ", credentials=digest:****" : "") + "}";
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(String.format("%s: %s (expected: > 0)", name, value));
      }
      return value;
    }
  }
}
