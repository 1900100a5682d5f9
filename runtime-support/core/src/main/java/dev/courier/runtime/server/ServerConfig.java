package dev.courier.runtime.server;

import dev.courier.runtime.discovery.ServiceRegistry;
import dev.courier.runtime.tls.ServerTls;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The settings of one {@link CourierServer}, frozen by {@link CourierServer.Builder#start()}: the
 * mutable builder never reaches the running server. Immutable.
 *
 * @param host the listen host, {@code null} for every interface
 * @param port the listen port, 0 for a free one
 * @param gracePeriod how long {@link CourierServer#close()} waits for in-flight calls
 * @param services the services, in the order they were added
 * @param registry where the services are announced, {@code null} for nowhere
 * @param advertisedHost the host announced in the registry, {@code null} for the default
 * @param maxConcurrency per-method limit overrides (full method name to limit, 0 for none), in
 *     the order they were set
 * @param maxInboundMessageSize the largest request accepted, in bytes
 * @param tls the TLS settings, {@code null} for plaintext
 * @param standardServices whether health and reflection are served too
 * @param executor where service methods run, {@code null} for grpc-java's default
 */
record ServerConfig(
    String host,
    int port,
    Duration gracePeriod,
    List<ServerServiceDefinition> services,
    ServiceRegistry registry,
    String advertisedHost,
    Map<String, Integer> maxConcurrency,
    int maxInboundMessageSize,
    ServerTls tls,
    boolean standardServices,
    Executor executor) {

  ServerConfig {
    services = List.copyOf(services);
    maxConcurrency = Collections.unmodifiableMap(new LinkedHashMap<>(maxConcurrency));
  }

  /** {@code host:port} as the listen errors show it; {@code *} for every interface. */
  String listenAddress() {
    return (host == null ? "*" : host) + ":" + port;
  }
}
