package dev.courier.runtime.discovery;

import dev.courier.runtime.internal.Checks;
import java.util.List;
import java.util.Objects;

/**
 * One discovery backend, both sides: {@link #endpointSource} for clients and {@link #register}
 * (from {@link ServiceRegistry}) for servers. Lets an application pick its registry by
 * configuration, with {@link #fromUri}. Implementations are thread-safe; {@link #close()} ends
 * their subscriptions and registrations.
 */
public interface Discovery extends ServiceRegistry, AutoCloseable {
  /** A source following the endpoints of {@code serviceName} (the full gRPC service name). */
  EndpointSource endpointSource(String serviceName);

  @Override
  void close();

  /**
   * Checks a service name the way every backend does before it follows or registers it: a full
   * gRPC service name ({@code package.Service}), not blank, without a {@code /}.
   *
   * @return {@code serviceName}
   * @throws IllegalArgumentException naming the bad value
   */
  static String requireServiceName(String serviceName) {
    Objects.requireNonNull(serviceName, "serviceName");
    if (serviceName.isBlank() || serviceName.contains("/")) {
      throw Checks.invalid("serviceName", Checks.quoted(serviceName), "a gRPC service name");
    }
    return serviceName;
  }

  /**
   * A backend from a URI, so that switching registries is a configuration change:
   * <ul>
   *   <li>{@code static:host:port[,host:port...]} — a fixed list (each endpoint optionally
   *       {@code ;weight=N}); registering does nothing;
   *   <li>{@code zookeeper://host:port[,host:port...][/base/path][?sessionTimeout=30s]} — {@code
   *       ZooKeeperDiscovery} (artifact {@code courier-zookeeper}); digest credentials as
   *       {@code zookeeper://user:password@host:port/...}; base path default {@code /courier/services};
   *   <li>{@code consul://host:port[?wait=30s&ttl=10s&check=ttl|grpc]} (or {@code consul+https://})
   *       — {@code ConsulDiscovery} (artifact {@code courier-consul}); the ACL token comes from
   *       the {@code CONSUL_HTTP_TOKEN} environment variable, as for Consul's own tools.
   * </ul>
   * Each backend is an artifact that brings its client library (the core never links to them): add
   * {@code courier-zookeeper} or {@code courier-consul} to use those schemes; without it, the
   * scheme fails with one line naming the artifact.
   *
   * @throws IllegalArgumentException naming the URI (credentials removed) and the expected forms
   */
  static Discovery fromUri(String uri) {
    return DiscoveryUris.parse(uri, System.getenv());
  }

  /** A fixed list; registering does nothing. */
  static Discovery fixed(List<Endpoint> endpoints) {
    List<Endpoint> copy = List.copyOf(endpoints);
    return new Discovery() {
      @Override
      public EndpointSource endpointSource(String serviceName) {
        return EndpointSource.of(copy);
      }

      @Override
      public Registration register(String serviceName, Endpoint endpoint) {
        return () -> { };
      }

      @Override
      public void close() {}

      @Override
      public String toString() {
        return "static" + copy;
      }
    };
  }
}
