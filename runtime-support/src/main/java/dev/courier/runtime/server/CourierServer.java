package dev.courier.runtime.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A started gRPC server for one or more Courier services.
 *
 * <p>{@link #close()} shuts down gracefully: the server stops accepting calls, lets in-flight
 * calls finish within the grace period, then cancels what is left. Thread-safe.
 */
public final class CourierServer implements AutoCloseable {
  private final Server server;
  private final Duration gracePeriod;

  private CourierServer(Server server, Duration gracePeriod) {
    this.server = server;
    this.gracePeriod = gracePeriod;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (the real one when it was started on port 0). */
  public int port() {
    return server.getPort();
  }

  /** {@code host:port} a client on this machine can use. */
  public String target() {
    InetSocketAddress address = (InetSocketAddress) server.getListenSockets().get(0);
    String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
    return host + ":" + address.getPort();
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops abruptly: in-flight calls are cancelled. */
  public void shutdownNow() {
    server.shutdownNow();
  }

  /** Stops gracefully; see the class comment. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link CourierServer}. Not thread-safe. */
  public static final class Builder {
    private String host;
    private int port;
    private Duration gracePeriod = Duration.ofSeconds(10);
    private final List<ServerServiceDefinition> services = new ArrayList<>();

    private Builder() {}

    /** Listen on every interface at {@code port} (0 picks a free port). */
    public Builder port(int port) {
      return address(null, port);
    }

    /** Listen on {@code host} at {@code port} (0 picks a free port); {@code null} host: every interface. */
    public Builder address(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.host = host;
      this.port = port;
      return this;
    }

    public Builder addService(ServerServiceDefinition service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    public Builder addService(BindableService service) {
      return addService(Objects.requireNonNull(service, "service").bindService());
    }

    /** How long {@link CourierServer#close()} waits for in-flight calls; default 10 s. */
    public Builder gracePeriod(Duration gracePeriod) {
      Objects.requireNonNull(gracePeriod, "gracePeriod");
      if (gracePeriod.isNegative()) {
        throw new IllegalArgumentException("gracePeriod: " + gracePeriod + " (expected: >= 0)");
      }
      this.gracePeriod = gracePeriod;
      return this;
    }

    /** Binds and starts the server. */
    public CourierServer start() {
      NettyServerBuilder netty = host == null
          ? NettyServerBuilder.forPort(port)
          : NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
      services.forEach(netty::addService);
      try {
        return new CourierServer(netty.build().start(), gracePeriod);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot listen on " + (host == null ? "*" : host) + ":" + port + ": " + e.getMessage(), e);
      }
    }
  }
}
