package dev.courier.runtime.discovery.consul;

import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.observe.TraceLog;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * The passing instances of one service in Consul, as endpoints. Each subscription runs a
 * blocking-query loop on its own daemon thread and delivers the full set when it changes, in a
 * stable order. Failed queries deliver nothing (subscribers keep what they had) and are retried
 * with backoff; the first failure and the recovery are logged once each. Thread-safe.
 */
final class ConsulEndpointSource implements EndpointSource {
  private static final System.Logger LOG = System.getLogger(ConsulEndpointSource.class.getName());

  private final ConsulDiscovery owner;
  private final String serviceName;

  ConsulEndpointSource(ConsulDiscovery owner, String serviceName) {
    this.owner = owner;
    this.serviceName = serviceName;
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    Watch watch = new Watch(listener);
    if (!owner.track(watch)) {
      throw new IllegalStateException("closed: " + owner);
    }
    watch.thread.start();
    try {
      if (!watch.firstAnswer.await(owner.settings().initialWait().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(Level.WARNING,
            TraceLog.line("no answer yet from " + this + ": calls fail with UNAVAILABLE until it answers"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return watch;
  }

  @Override
  public String toString() {
    return "consul:" + serviceName + "@" + owner;
  }

  /** Passing instances only (the query asks for them; this double-checks), address falling back to the node's. */
  static List<Endpoint> toEndpoints(List<ServiceHealth> instances) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (ServiceHealth health : instances) {
      if (!health.getChecks().stream().map(HealthCheck::getStatus).allMatch("passing"::equals)) {
        continue;
      }
      var service = health.getService();
      String host = service.getAddress() == null || service.getAddress().isBlank()
          ? health.getNode().getAddress() : service.getAddress();
      int weight = service.getWeights().map(w -> Math.max(1, w.getPassing())).orElse(1);
      try {
        endpoints.add(new Endpoint(host, service.getPort(), weight, service.getMeta()));
      } catch (IllegalArgumentException | NullPointerException e) {
        LOG.log(Level.WARNING, "skipping instance {0}: {1}", service.getId(), e.getMessage());
      }
    }
    endpoints.sort(Comparator.comparing(Endpoint::authority));
    return List.copyOf(endpoints);
  }

  /** One subscription's query loop. */
  private final class Watch implements AutoCloseable {
    private final Listener listener;
    private final Thread thread;
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private volatile boolean closed;
    private List<Endpoint> last; // guarded by this

    Watch(Listener listener) {
      this.listener = listener;
      this.thread = new Thread(this::run, "courier-consul-watch-" + serviceName);
      thread.setDaemon(true);
    }

    private void run() {
      BigInteger index = BigInteger.ZERO;
      Duration delay = owner.settings().minRetryDelay();
      boolean failing = false;
      int waitSeconds = Math.toIntExact(owner.settings().queryWait().toSeconds());
      while (!closed) {
        try {
          ConsulResponse<List<ServiceHealth>> response = owner.consul().healthClient()
              .getHealthyServiceInstances(serviceName, QueryOptions.blockSeconds(waitSeconds, index).build());
          index = nextIndex(index, response.getIndex());
          if (failing) {
            failing = false;
            LOG.log(Level.INFO, "{0} answers again", ConsulEndpointSource.this);
          }
          delay = owner.settings().minRetryDelay();
          deliver(toEndpoints(response.getResponse()));
        } catch (RuntimeException e) {
          if (closed) {
            return;
          }
          if (!failing) {
            failing = true;
            LOG.log(Level.WARNING, TraceLog.line(ConsulEndpointSource.this + " does not answer (" + e
                + "): clients keep their last known endpoints; retrying with backoff"));
          }
          if (!sleep(delay)) {
            return;
          }
          delay = min(delay.multipliedBy(2), owner.settings().maxRetryDelay());
        }
      }
    }

    private synchronized void deliver(List<Endpoint> endpoints) {
      if (closed) {
        return;
      }
      if (!endpoints.equals(last)) {
        last = endpoints;
        listener.onEndpoints(endpoints);
      }
      firstAnswer.countDown();
    }

    @Override
    public void close() {
      synchronized (this) {
        closed = true;
      }
      owner.untrack(this);
      thread.interrupt();
    }
  }

  /**
   * Consul's rules for the next index: reset to 0 when it goes backwards (the raft index was
   * reset), and never block on 0 after the first answer (use 1) so a broken index cannot turn
   * blocking queries into a busy loop.
   */
  static BigInteger nextIndex(BigInteger previous, BigInteger received) {
    if (received == null || received.signum() <= 0) {
      return BigInteger.ONE;
    }
    return received.compareTo(previous) < 0 ? BigInteger.ZERO : received;
  }

  private static boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
