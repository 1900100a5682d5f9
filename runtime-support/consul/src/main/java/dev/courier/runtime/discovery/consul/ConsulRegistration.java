package dev.courier.runtime.discovery.consul;

import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.RegistrationException;
import dev.courier.runtime.discovery.ServiceRegistry;
import dev.courier.runtime.observe.TraceLog;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kiwiproject.consul.AgentClient;
import org.kiwiproject.consul.NotRegisteredException;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration.RegCheck;
import org.kiwiproject.consul.model.catalog.ImmutableServiceWeights;

/**
 * One service instance registered with the Consul agent, with its TTL heartbeat when the check is
 * a TTL check. The heartbeat re-registers when the agent has forgotten the instance (an agent
 * restart) and logs a failing agent once until it answers again. Thread-safe.
 */
final class ConsulRegistration implements ServiceRegistry.Registration {
  private static final System.Logger LOG = System.getLogger(ConsulRegistration.class.getName());

  private final ConsulDiscovery owner;
  private final String serviceName;
  private final Endpoint endpoint;
  private final String id;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean failing;
  private ScheduledFuture<?> heartbeat; // set once in start()

  ConsulRegistration(ConsulDiscovery owner, String serviceName, Endpoint endpoint) {
    this.owner = owner;
    this.serviceName = serviceName;
    this.endpoint = endpoint;
    this.id = serviceName + "-" + endpoint.host() + "-" + endpoint.port();
  }

  void start() {
    try {
      registerAndPass();
    } catch (RuntimeException e) {
      throw new RegistrationException(
          "cannot register " + serviceName + " at " + endpoint + " in " + owner + ": " + e, e);
    }
    if (!owner.track(this)) {
      deregister();
      throw new IllegalStateException("closed: " + owner);
    }
    if (owner.settings().ttlCheck()) {
      long every = Math.max(100, owner.settings().ttl().toMillis() / 3);
      heartbeat = owner.heartbeats().scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }
    LOG.log(Level.INFO, "registered {0} at {1} in {2} as {3}", serviceName, endpoint, owner, id);
  }

  private void registerAndPass() {
    AgentClient agent = owner.consul().agentClient();
    agent.register(ImmutableRegistration.builder()
        .id(id)
        .name(serviceName)
        .address(endpoint.host())
        .port(endpoint.port())
        .meta(endpoint.metadata())
        .serviceWeights(ImmutableServiceWeights.builder().passing(endpoint.weight()).warning(1).build())
        .check(check())
        .build());
    if (owner.settings().ttlCheck()) {
      try {
        agent.pass(id);
      } catch (NotRegisteredException e) {
        throw new IllegalStateException("the agent does not know " + id + " right after registering it", e);
      }
    }
  }

  private RegCheck check() {
    ConsulSettings config = owner.settings();
    String deregisterAfter = Math.max(1, config.deregisterCriticalAfter().toSeconds()) + "s";
    if (!config.ttlCheck()) {
      return ImmutableRegCheck.builder()
          .grpc(endpoint.authority())
          .interval(Math.max(1, config.grpcCheckInterval().toMillis()) + "ms")
          .deregisterCriticalServiceAfter(deregisterAfter)
          .build();
    }
    return ImmutableRegCheck.builder()
        .ttl(config.ttl().toSeconds() + "s")
        .deregisterCriticalServiceAfter(deregisterAfter)
        .build();
  }

  private void beat() {
    try {
      try {
        owner.consul().agentClient().pass(id);
      } catch (NotRegisteredException e) {
        registerAndPass();
      }
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "heartbeat of {0} reaches {1} again", id, owner);
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.log(Level.WARNING, TraceLog.line("heartbeat of " + id + " fails (" + e
            + "); the instance turns critical after its TTL unless " + owner + " answers again"));
      }
    }
  }

  /** Stops the heartbeat and deregisters; failures are logged. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    owner.untrack(this);
    deregister();
  }

  private void deregister() {
    try {
      owner.consul().agentClient().deregister(id);
      LOG.log(Level.INFO, "deregistered {0} from {1}", id, owner);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot deregister {0} from {1}: {2}", id, owner, e.toString());
    }
  }
}
