package dev.courier.runtime.discovery.consul;

import static dev.courier.runtime.internal.Checks.atLeastOneSecond;
import static dev.courier.runtime.internal.Checks.notNegative;
import static dev.courier.runtime.internal.Checks.positive;

import dev.courier.runtime.discovery.Discovery;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kiwiproject.consul.Consul;

/**
 * Discovery in Consul through {@code org.kiwiproject:consul-client}: {@linkplain #endpointSource
 * sources} follow the <em>passing</em> instances of a service with blocking queries on the health
 * API ({@code /v1/health/service/<name>?passing&index=..&wait=..}); {@linkplain #register
 * registrations} go to the agent with a TTL check kept passing by a heartbeat (default) or a gRPC
 * health check the agent runs, and are deregistered when closed.
 *
 * <p><b>Unreachable Consul.</b> A source keeps retrying with backoff and delivers nothing new, so
 * clients keep their last known endpoints; it logs once when Consul stops answering and once when
 * it answers again. A crashed server stops its heartbeat: its TTL check turns critical and it leaves
 * every client's set within the TTL (and the catalog after {@link Builder#deregisterCriticalAfter}).
 *
 * <p>Thread-safe. {@link #close()} ends every subscription and heartbeat and deregisters every open
 * registration. The ACL token is sent as the {@code X-Consul-Token} header and never appears in
 * {@link #toString()} or in logs.
 */
public final class ConsulDiscovery implements Discovery {
  private final ConsulSettings settings;
  private final Consul consul;
  private final ScheduledExecutorService heartbeats;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ConsulDiscovery(ConsulSettings settings) {
    this.settings = settings;
    Consul.Builder consul = Consul.builder()
        .withUrl(settings.url())
        .withPing(false)
        .withConnectTimeoutMillis(settings.connectTimeout().toMillis())
        // Longer than the longest blocking query: Consul adds up to wait/16 of jitter to it.
        .withReadTimeoutMillis(settings.queryWait().toMillis() + settings.queryWait().toMillis() / 16 + 5_000);
    if (settings.aclToken() != null) {
      consul.withTokenAuth(settings.aclToken());
    }
    this.consul = consul.build();
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "courier-consul-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** A builder with the defaults described on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A source that follows the passing instances of {@code serviceName}. Each subscription runs
   * its own blocking-query loop on a daemon thread; {@code subscribe} waits up to {@link
   * Builder#initialWait} for the first answer.
   */
  @Override
  public EndpointSource endpointSource(String serviceName) {
    Discovery.requireServiceName(serviceName);
    return new ConsulEndpointSource(this, serviceName);
  }

  /**
   * Registers with the agent under the id {@code <serviceName>-<host>-<port>} (registering the
   * same endpoint again replaces it), with the configured check.
   *
   * @throws dev.courier.runtime.discovery.RegistrationException when the agent refuses or cannot
   *     be reached
   */
  @Override
  public Registration register(String serviceName, Endpoint endpoint) {
    Discovery.requireServiceName(serviceName);
    ConsulRegistration registration = new ConsulRegistration(this, serviceName, endpoint);
    registration.start();
    return registration;
  }

  /** Ends every subscription and heartbeat, deregisters every open registration. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable closeable : Set.copyOf(open)) {
      try {
        closeable.close();
      } catch (Exception e) {
        // each one logs its own failure
      }
    }
    heartbeats.shutdownNow();
    consul.destroy();
  }

  @Override
  public String toString() {
    return settings.toString();
  }

  Consul consul() {
    return consul;
  }

  ConsulSettings settings() {
    return settings;
  }

  ScheduledExecutorService heartbeats() {
    return heartbeats;
  }

  boolean track(AutoCloseable closeable) {
    if (closed.get()) {
      return false;
    }
    open.add(closeable);
    return true;
  }

  void untrack(AutoCloseable closeable) {
    open.remove(closeable);
  }


  /** Configures a {@link ConsulDiscovery}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private String url = "http://127.0.0.1:8500";
    private String aclToken;
    private Duration wait = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration initialWait = Duration.ofSeconds(2);
    private Duration minRetryDelay = Duration.ofMillis(250);
    private Duration maxRetryDelay = Duration.ofSeconds(10);
    private Duration ttl = Duration.ofSeconds(10);
    private Duration grpcCheckInterval; // null: TTL check
    private Duration deregisterCriticalAfter = Duration.ofMinutes(1);

    private Builder() {}

    /** The agent's HTTP API, e.g. {@code http://127.0.0.1:8500} (the default). */
    public Builder url(String url) {
      Objects.requireNonNull(url, "url");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw Checks.invalid("url", Checks.quoted(url), "http://host:port or https://host:port");
      }
      this.url = url;
      return this;
    }

    /** The ACL token, sent as {@code X-Consul-Token} on every request; default none. Never logged. */
    public Builder aclToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isBlank()) {
        // Not Checks.notBlank: whatever a token holds is never shown, not even blanks.
        throw Checks.invalid("aclToken", "blank", "a token");
      }
      this.aclToken = token;
      return this;
    }

    /** How long one blocking query may wait for a change; default 30 s (Consul caps it at 10 min). */
    public Builder wait(Duration wait) {
      this.wait = atLeastOneSecond("wait", wait);
      return this;
    }

    /** How long opening a connection may take; default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /** How long {@code subscribe} waits for the first answer; default 2 s. */
    public Builder initialWait(Duration initialWait) {
      this.initialWait = notNegative("initialWait", initialWait);
      return this;
    }

    /** Backoff between failed queries, doubling from {@code min} up to {@code max}; default 0.25 s to 10 s. */
    public Builder retryDelay(Duration min, Duration max) {
      positive("minRetryDelay", min);
      positive("maxRetryDelay", max);
      if (max.compareTo(min) < 0) {
        throw Checks.invalid("maxRetryDelay", max, ">= " + min);
      }
      this.minRetryDelay = min;
      this.maxRetryDelay = max;
      return this;
    }

    /**
     * Registrations carry a TTL check that a heartbeat passes every {@code ttl / 3}; the default
     * check, 10 s. Whole seconds (Consul's unit here); at least 1 s.
     */
    public Builder ttlCheck(Duration ttl) {
      this.ttl = atLeastOneSecond("ttl", ttl);
      this.grpcCheckInterval = null;
      return this;
    }

    /**
     * Registrations carry a gRPC health check the agent runs every {@code interval} against the
     * server (which must serve {@code grpc.health.v1.Health}); replaces the TTL check.
     */
    public Builder grpcCheck(Duration interval) {
      this.grpcCheckInterval = positive("interval", interval);
      return this;
    }

    /** Consul removes an instance whose check stayed critical this long; default 1 min. */
    public Builder deregisterCriticalAfter(Duration after) {
      this.deregisterCriticalAfter = positive("deregisterCriticalAfter", after);
      return this;
    }

    /** Creates the client; does not contact Consul (sources and registrations do). */
    public ConsulDiscovery build() {
      return new ConsulDiscovery(new ConsulSettings(url, aclToken, wait, connectTimeout, initialWait,
          minRetryDelay, maxRetryDelay, ttl, grpcCheckInterval, deregisterCriticalAfter));
    }

    @Override
    public String toString() {
      return "ConsulDiscovery.Builder{" + url + (aclToken != null ? ", token=****" : "") + "}";
    }
  }
}
