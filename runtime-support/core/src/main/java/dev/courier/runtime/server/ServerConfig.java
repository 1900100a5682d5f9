package dev.courier.runtime.server;

import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.discovery.ServiceRegistry;
import dev.courier.runtime.tls.ServerTls;
import io.grpc.ServerInterceptor;
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
 * @param executor where grpc runs service methods, unbounded by Courier; {@code null} for {@code callExecutor}
 * @param callExecutor where service methods run, bounded, when {@code executor} is {@code null}
 * @param limits what one connection may hold
 * @param interceptors for every call of every service, the standard ones included; the first runs first
 * @param serviceInterceptors by gRPC service name, for that service's calls, after {@code interceptors}
 * @param drainOnShutdown whether a JVM shutdown hook closes the server gracefully
 * @param access the authenticator and the access rules
 * @param liveConfig the live configuration whose {@code maxConcurrency} the server follows, {@code null} for none
 * @param inProcessName the in-process server's name, {@code null} for a socket
 * @param condenseTransportLogs whether grpc-java's transport log gets one line per bad input ({@link TransportLogFilter})
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
    Executor executor,
    CallExecutor callExecutor,
    ServerLimits limits,
    List<ServerInterceptor> interceptors,
    Map<String, List<ServerInterceptor>> serviceInterceptors,
    boolean drainOnShutdown,
    ServerAccess access,
    LiveConfig liveConfig,
    String inProcessName,
    boolean condenseTransportLogs) {

  ServerConfig {
    services = List.copyOf(services);
    maxConcurrency = Collections.unmodifiableMap(new LinkedHashMap<>(maxConcurrency));
    interceptors = List.copyOf(interceptors);
    Map<String, List<ServerInterceptor>> copy = new LinkedHashMap<>();
    serviceInterceptors.forEach((name, list) -> copy.put(name, List.copyOf(list)));
    serviceInterceptors = Collections.unmodifiableMap(copy);
  }

  /** The interceptors of {@code serviceName}'s calls: the server's, then the service's own. */
  List<ServerInterceptor> interceptorsOf(String serviceName) {
    List<ServerInterceptor> own = serviceInterceptors.get(serviceName);
    if (own == null || own.isEmpty()) {
      return interceptors;
    }
    List<ServerInterceptor> all = new java.util.ArrayList<>(interceptors);
    all.addAll(own);
    return all;
  }

  /** {@code host:port} as the listen errors show it; {@code *} for every interface. */
  String listenAddress() {
    if (inProcessName != null) {
      return "in-process:" + inProcessName;
    }
    return (host == null ? "*" : host) + ":" + port;
  }
}
