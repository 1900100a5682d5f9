package dev.courier.runtime.server;

import dev.courier.runtime.status.MethodStats;
import dev.courier.runtime.status.StatusPage;
import dev.courier.runtime.status.StatusPageConfig;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Starts a server with its status page when the builder asked for one: {@link MethodStats} goes
 * first among the server's interceptors (so it times every call, refused ones included), and the
 * page starts once the server listens; a page that cannot start stops the server.
 */
final class StatusPageLauncher {
  private StatusPageLauncher() {}

  /** {@code launch} starts the server with the interceptors it is given. */
  static CourierServer start(StatusPageConfig config, List<ServerServiceDefinition> services,
      List<ServerInterceptor> interceptors, Function<List<ServerInterceptor>, CourierServer> launch) {
    if (config == null) {
      return launch.apply(interceptors);
    }
    MethodStats stats = new MethodStats();
    List<ServerInterceptor> all = new ArrayList<>(interceptors);
    all.add(0, stats);
    CourierServer server = launch.apply(all);
    List<ServerServiceDefinition> served = List.copyOf(services);
    try {
      server.attach(StatusPage.start(config, server.target(), () -> ServiceCatalog.of(served), stats));
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
    return server;
  }
}
