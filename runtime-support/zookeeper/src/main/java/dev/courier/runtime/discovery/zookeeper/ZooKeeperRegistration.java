package dev.courier.runtime.discovery.zookeeper;

import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.RegistrationException;
import dev.courier.runtime.discovery.ServiceRegistry;
import java.lang.System.Logger.Level;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;

/**
 * One server's instance of one service in ZooKeeper: an ephemeral node written by {@link #register}
 * and deleted once by {@link #close()}, which does not wait when ZooKeeper cannot be reached (the
 * delete goes on in the background, or the node goes when the session expires). Thread-safe.
 */
final class ZooKeeperRegistration implements ServiceRegistry.Registration {
  // The discovery's logger, as before the split: one name to configure for all of ZooKeeper discovery.
  private static final System.Logger LOG = System.getLogger(ZooKeeperDiscovery.class.getName());

  private final ZooKeeperDiscovery owner;
  private final ServiceInstance<InstancePayload> instance;
  private final Endpoint endpoint;
  private final AtomicBoolean done = new AtomicBoolean();

  private ZooKeeperRegistration(ZooKeeperDiscovery owner, ServiceInstance<InstancePayload> instance, Endpoint endpoint) {
    this.owner = owner;
    this.instance = instance;
    this.endpoint = endpoint;
  }

  /**
   * Writes the instance of {@code serviceName} at {@code endpoint}, under a new random id.
   *
   * @throws RegistrationException when ZooKeeper refuses or cannot be reached
   */
  static ZooKeeperRegistration register(ZooKeeperDiscovery owner, String serviceName, Endpoint endpoint) {
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
      owner.discovery().registerService(instance);
    } catch (Exception e) {
      throw new RegistrationException(
          "cannot register " + serviceName + " at " + endpoint + " in " + owner + ": " + e, e);
    }
    LOG.log(Level.INFO, "registered {0} at {1} in {2}", serviceName, endpoint, owner);
    return new ZooKeeperRegistration(owner, instance, endpoint);
  }

  @Override
  public void close() {
    if (!done.compareAndSet(false, true) || owner.isClosed()) {
      return;
    }
    if (owner.isConnected()) {
      unregister();
    } else {
      LOG.log(Level.WARNING, "{0} is unreachable: {1} at {2} is deregistered in the background, or"
          + " disappears when its session expires", owner, instance.getName(), endpoint);
      owner.background().execute(this::unregister);
    }
  }

  private void unregister() {
    try {
      owner.discovery().unregisterService(instance);
      LOG.log(Level.INFO, "deregistered {0} at {1} from {2}", instance.getName(), endpoint, owner);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "cannot deregister {0} at {1} from {2}: {3}",
          instance.getName(), endpoint, owner, e.toString());
    }
  }
}
