package dev.courier.runtime.discovery.zookeeper;

import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.observe.TraceLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.ServiceCacheListener;

/**
 * The instances of one service in ZooKeeper, as endpoints. Each subscription owns a Curator
 * {@link ServiceCache}; its set is delivered whenever it changes, in full, in a stable order.
 * Losing the connection delivers nothing, so subscribers keep what they had. Thread-safe.
 */
final class ZooKeeperEndpointSource implements EndpointSource {
  private static final System.Logger LOG = System.getLogger(ZooKeeperEndpointSource.class.getName());

  private final ZooKeeperDiscovery owner;
  private final String serviceName;

  ZooKeeperEndpointSource(ZooKeeperDiscovery owner, String serviceName) {
    this.owner = owner;
    this.serviceName = serviceName;
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    Subscription subscription = new Subscription(listener);
    subscription.start();
    return subscription;
  }

  @Override
  public String toString() {
    return "zookeeper:" + serviceName + "@" + owner.connectString();
  }

  static List<Endpoint> toEndpoints(List<ServiceInstance<InstancePayload>> instances) {
    List<Endpoint> endpoints = new ArrayList<>(instances.size());
    for (ServiceInstance<InstancePayload> instance : instances) {
      Integer port = instance.getPort();
      if (instance.getAddress() == null || port == null) {
        continue;
      }
      InstancePayload payload = instance.getPayload();
      int weight = payload == null ? 1 : Math.max(1, payload.getWeight());
      Map<String, String> metadata = payload == null ? Map.of() : payload.getMetadata();
      try {
        endpoints.add(new Endpoint(instance.getAddress(), port, weight, metadata));
      } catch (IllegalArgumentException e) {
        LOG.log(Level.WARNING, "skipping instance {0}: {1}", instance.getId(), e.getMessage());
      }
    }
    endpoints.sort(Comparator.comparing(Endpoint::authority));
    return List.copyOf(endpoints);
  }

  /** One listener's cache. Deliveries are serialised and skip repeats of the last set. */
  private final class Subscription implements AutoCloseable, ServiceCacheListener {
    private final Listener listener;
    /** Replaced after each reconnection; see {@link #stateChanged}. */
    private volatile ServiceCache<InstancePayload> cache;
    private List<Endpoint> last; // guarded by this
    private boolean closed; // guarded by this
    private boolean removalPending; // guarded by this

    Subscription(Listener listener) {
      this.listener = listener;
      this.cache = owner.discovery().serviceCacheBuilder().name(serviceName).build();
    }

    void start() {
      cache.addListener(this);
      CountDownLatch initialized;
      try {
        initialized = cache.startImmediate();
      } catch (Exception e) {
        throw new IllegalStateException("cannot watch " + ZooKeeperEndpointSource.this + ": " + e, e);
      }
      try {
        if (initialized.await(owner.initialWait().toMillis(), TimeUnit.MILLISECONDS)) {
          deliverFirst();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LOG.log(Level.WARNING, TraceLog.line("no answer yet from " + ZooKeeperEndpointSource.this
          + ": calls fail with UNAVAILABLE until it answers"));
      owner.background().execute(() -> {
        try {
          initialized.await();
          deliverFirst();
          LOG.log(Level.INFO, "{0} answered", ZooKeeperEndpointSource.this);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }

    /**
     * Additions go out at once; a set that lost endpoints goes out after {@link
     * ZooKeeperDiscovery.Builder#removalDelay}, read again then. Curator re-registers an instance
     * after a new session by deleting and re-creating its node, which must not reach clients as
     * a moment with fewer (or no) endpoints.
     */
    @Override
    public void cacheChanged() {
      List<Endpoint> now = toEndpoints(cache.getInstances());
      boolean shrinks;
      synchronized (this) {
        shrinks = last != null && !now.containsAll(last);
        if (shrinks && removalPending) {
          return;
        }
        removalPending |= shrinks;
      }
      if (!shrinks) {
        deliver(now);
        return;
      }
      owner.scheduler().schedule(() -> {
        synchronized (this) {
          removalPending = false;
        }
        deliver();
      }, owner.removalDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Disconnections are logged once by ZooKeeperDiscovery, and the cache keeps its instances
     * meanwhile. After a reconnection the cache is built anew from a fresh read: Curator's cache has
     * been seen to miss an instance registered while this client was cut off (ZooKeeper restarted),
     * and then never to catch up.
     */
    @Override
    public void stateChanged(CuratorFramework client, ConnectionState newState) {
      if (newState == ConnectionState.RECONNECTED) {
        owner.background().execute(this::rebuild);
      }
    }

    private void rebuild() {
      ServiceCache<InstancePayload> fresh = owner.discovery().serviceCacheBuilder().name(serviceName).build();
      try {
        fresh.start(); // blocks until the fresh cache holds what ZooKeeper has now
      } catch (Exception e) {
        LOG.log(Level.DEBUG, "rebuilding the cache of {0} failed, keeping the old one: {1}",
            ZooKeeperEndpointSource.this, e.toString());
        closeQuietly(fresh);
        return;
      }
      ServiceCache<InstancePayload> old;
      synchronized (this) {
        if (closed) {
          closeQuietly(fresh);
          return;
        }
        old = cache;
        cache = fresh;
      }
      fresh.addListener(this);
      old.removeListener(this);
      closeQuietly(old);
      cacheChanged();
    }

    private void closeQuietly(ServiceCache<InstancePayload> cache) {
      try {
        cache.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, "closing cache of {0}: {1}", ZooKeeperEndpointSource.this, e.toString());
      }
    }

    /**
     * The first set. A freshly initialised cache has been seen to report no instance where a
     * direct read finds some, so an empty first set is read again from ZooKeeper.
     */
    private void deliverFirst() {
      List<ServiceInstance<InstancePayload>> instances = cache.getInstances();
      if (instances.isEmpty()) {
        try {
          instances = List.copyOf(owner.discovery().queryForInstances(serviceName));
        } catch (Exception e) {
          LOG.log(Level.DEBUG, "direct read of {0} failed: {1}", ZooKeeperEndpointSource.this, e.toString());
        }
      }
      deliver(toEndpoints(instances));
    }

    private void deliver() {
      deliver(toEndpoints(cache.getInstances()));
    }

    private synchronized void deliver(List<Endpoint> now) {
      if (closed) {
        return;
      }
      if (!now.equals(last)) {
        last = now;
        listener.onEndpoints(now);
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      ServiceCache<InstancePayload> current = cache;
      current.removeListener(this);
      closeQuietly(current);
    }
  }
}
