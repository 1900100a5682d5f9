package dev.courier.runtime.server;

import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.discovery.AdvertisedHost;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.ServiceRegistry;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Turns a {@link ServerConfig} into a listening {@link CourierServer}: checks the concurrency
 * overrides and the per-service interceptors against the services, puts every service behind the
 * same layers (from the outside in: the request parse guard, the server's interceptors, the
 * service's own, the concurrency limits; see {@link CourierServer}), adds the standard services
 * behind the guard and the server's interceptors, binds, and registers in the registry last.
 * Stateless.
 */
final class ServerLauncher {
  private static final System.Logger LOG = System.getLogger(CourierServer.class.getName());

  private ServerLauncher() {}

  static CourierServer start(ServerConfig config) {
    checkMaxConcurrencyMethods(config);
    checkInterceptedServices(config);
    config.access().check(config.services());
    ServerBuilder<?> builder = config.inProcessName() != null
        ? InProcessServerBuilder.forName(config.inProcessName()) : netty(config);
    builder.maxInboundMessageSize(config.maxInboundMessageSize());
    if (builder instanceof NettyServerBuilder netty) {
      config.limits().applyTo(netty); // connection limits: only a socket has connections to limit
      if (config.condenseTransportLogs()) {
        TransportLogFilter.install();
      }
    }
    BoundedCalls bounded = null;
    if (config.executor() != null) {
      builder.executor(config.executor());
    } else {
      bounded = new BoundedCalls(config.callExecutor());
      builder.directExecutor(); // BoundedCalls takes the events off the transport's thread
    }
    UnaryOperator<ServerServiceDefinition> bound = bounded == null ? UnaryOperator.identity() : bounded::apply;
    LiveConcurrency live = config.liveConfig() == null ? null : new LiveConcurrency();
    config.services().forEach(service -> builder.addService(guarded(
        live == null ? ConcurrencyLimit.forServer(service, config.maxConcurrency())
            : ConcurrencyLimit.forServer(service, config.maxConcurrency(), live),
        withContext(config.access().interceptorFor(service), config.interceptorsOf(service.getServiceDescriptor().getName())),
        bound)));
    Runnable stopExecutor = bounded == null ? () -> { } : bounded::stop;
    Runnable stopCalls = stopExecutor;
    if (live != null) {
      LiveConfig.Following following;
      try {
        following = config.liveConfig().attach(live, live.services()); // fails when the version in force does not fit
      } catch (RuntimeException e) {
        stopExecutor.run();
        throw e;
      }
      stopCalls = () -> { // a stopped server no longer follows, nor vetoes, the live configuration
        following.close();
        stopExecutor.run();
      };
    }
    HealthStatusManager health = config.standardServices() ? addStandardServices(builder, config, bound) : null;
    try {
      Server started = builder.build().start();
      LOG.log(Level.DEBUG, () -> "listening on " + started.getListenSockets() + ", tls: " + config.tls()
          + ", maxInboundMessageSize: " + config.maxInboundMessageSize()
          + ", maxConcurrency: " + config.maxConcurrency() + ", " + config.limits()
          + ", calls: " + (config.executor() != null ? "the given executor" : config.callExecutor()));
      GracefulStop stop = new GracefulStop(started, config.gracePeriod(), register(started, config), health,
          stopCalls);
      if (config.drainOnShutdown()) {
        stop.drainOnShutdown(config.inProcessName() != null ? "courier-server-" + config.inProcessName()
            : "courier-server-" + started.getPort());
      }
      return new CourierServer(started, health, stop);
    } catch (RuntimeException e) { // the registry refused: the server is stopped already
      stopCalls.run();
      throw e;
    } catch (IOException e) {
      stopCalls.run();
      throw new UncheckedIOException("cannot listen on " + config.listenAddress() + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("deprecation") // v1alpha reflection: still the only one older tools speak
  private static HealthStatusManager addStandardServices(ServerBuilder<?> builder, ServerConfig config,
      UnaryOperator<ServerServiceDefinition> bound) {
    HealthStatusManager health = new HealthStatusManager();
    for (ServerServiceDefinition service : config.services()) {
      health.setStatus(service.getServiceDescriptor().getName(), HealthCheckResponse.ServingStatus.SERVING);
    }
    for (BindableService standard : List.of(health.getHealthService(), ProtoReflectionServiceV1.newInstance(),
        io.grpc.protobuf.services.ProtoReflectionService.newInstance())) {
      builder.addService(guarded(standard.bindService(),
          withContext(ServerAccess.standardServices(), config.interceptors()), bound));
    }
    return health;
  }

  /**
   * {@code service} behind {@code interceptors} (the first given outermost: grpc's {@code
   * intercept} puts its last outermost), {@code bound} (the call executor) around them, and the
   * request parse guard around all, so no interceptor sees a request that did not parse.
   */
  static ServerServiceDefinition guarded(ServerServiceDefinition service, List<ServerInterceptor> interceptors,
      UnaryOperator<ServerServiceDefinition> bound) {
    ServerServiceDefinition intercepted = service;
    if (!interceptors.isEmpty()) {
      List<ServerInterceptor> reversed = new ArrayList<>(interceptors);
      Collections.reverse(reversed);
      intercepted = ServerInterceptors.intercept(service, reversed);
    }
    return RequestParseGuard.apply(bound.apply(intercepted));
  }

  /** {@code interceptors} after the one that gives calls their context and applies access rules. */
  private static List<ServerInterceptor> withContext(ServerInterceptor context, List<ServerInterceptor> interceptors) {
    List<ServerInterceptor> all = new ArrayList<>(interceptors.size() + 1);
    all.add(context);
    all.addAll(interceptors);
    return all;
  }

  private static void checkInterceptedServices(ServerConfig config) {
    List<String> known = config.services().stream().map(s -> s.getServiceDescriptor().getName()).toList();
    for (String service : config.serviceInterceptors().keySet()) {
      if (!known.contains(service)) {
        throw new IllegalStateException(
            "intercept: no added service is named " + service + " (expected: one of " + known + ")");
      }
    }
  }

  private static NettyServerBuilder netty(ServerConfig config) {
    if (config.tls() == null) {
      return config.host() == null
          ? NettyServerBuilder.forPort(config.port())
          : NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()));
    }
    return config.host() == null
        ? NettyServerBuilder.forPort(config.port(), config.tls().credentials())
        : NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()),
            config.tls().credentials());
  }

  private static void checkMaxConcurrencyMethods(ServerConfig config) {
    List<String> known = config.services().stream()
        .flatMap(s -> s.getMethods().stream())
        .map(m -> m.getMethodDescriptor().getFullMethodName())
        .toList();
    for (String method : config.maxConcurrency().keySet()) {
      if (!known.contains(method)) {
        throw new IllegalStateException(
            "maxConcurrency: no added service has " + method + " (expected: one of " + known + ")");
      }
    }
  }

  /** Registers every service at the real port; a refusal stops the server and is thrown. */
  private static ServiceRegistry.Registration register(Server started, ServerConfig config) {
    if (config.registry() == null) {
      return null;
    }
    if (config.inProcessName() != null) {
      started.shutdownNow();
      throw new IllegalStateException("registerIn: an in-process server (" + config.inProcessName()
          + ") has no address to announce; register servers that listen on a socket");
    }
    String announced = config.advertisedHost() != null
        ? config.advertisedHost() : AdvertisedHost.forBindHost(config.host());
    List<String> names = config.services().stream().map(s -> s.getServiceDescriptor().getName()).toList();
    try {
      return config.registry().registerAll(names, Endpoint.of(announced, started.getPort()));
    } catch (RuntimeException e) {
      started.shutdownNow();
      throw e;
    }
  }
}
