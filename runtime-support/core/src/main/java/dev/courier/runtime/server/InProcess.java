package dev.courier.runtime.server;

import dev.courier.runtime.client.ClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Courier server and a client of it over grpc's in-process transport, started together and
 * closed together: a test of a service implementation in one line, through the same guards,
 * access rules, interceptors, deadlines and retries as over a socket, but without a port.
 *
 * <pre>{@code
 * try (InProcess<InventoryClient> local = InventoryServer.inProcess(new InventoryService())) {
 *   Stock stock = local.client().getStock(request);
 * }
 * }</pre>
 *
 * Thread-safe.
 *
 * @param <C> the generated client type
 */
public final class InProcess<C> implements AutoCloseable {
  private static final AtomicLong NAMES = new AtomicLong();

  private final CourierServer server;
  private final ManagedChannel channel;
  private final C client;

  private InProcess(CourierServer server, ManagedChannel channel, C client) {
    this.server = server;
    this.channel = channel;
    this.client = client;
  }

  /** Serves {@code service} in process and builds {@code client} on it; for generated {@code XxxServer.inProcess}. */
  public static <C> InProcess<C> start(ServerServiceDefinition service, ClientBuilder<C> client) {
    Objects.requireNonNull(service, "service");
    return start(CourierServer.builder().addService(service), client);
  }

  /**
   * Starts {@code server} (set up as wanted: authenticator, interceptors, ...) in process under a
   * fresh name, and builds {@code client} on a channel to it (its targets, if any, are replaced).
   * The server's grace period is zero: closing does not wait for calls in flight.
   */
  public static <C> InProcess<C> start(CourierServer.Builder server, ClientBuilder<C> client) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(client, "client");
    String name = "courier-in-process-" + NAMES.incrementAndGet();
    CourierServer started = server.inProcess(name).gracePeriod(java.time.Duration.ZERO).start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().disableRetry().build();
    try {
      return new InProcess<>(started, channel, client.channel(channel).build());
    } catch (RuntimeException e) {
      channel.shutdownNow();
      started.shutdownNow();
      throw e;
    }
  }

  /** The client, connected to {@link #server()}. */
  public C client() {
    return client;
  }

  public CourierServer server() {
    return server;
  }

  /** Closes the client, the channel and the server. */
  @Override
  public void close() {
    try {
      if (client instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing the in-process client failed", e);
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.shutdownNow();
    }
  }
}
