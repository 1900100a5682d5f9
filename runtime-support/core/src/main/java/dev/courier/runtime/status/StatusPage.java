package dev.courier.runtime.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.observe.LiveClients;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A live status page over the JDK's own HTTP server ({@code com.sun.net.httpserver}): one small
 * HTML page at {@code /} ({@link StatusPageHtml}) with the server's services and declared policies,
 * each method's calls and latency percentiles since start, and every Courier client of the process
 * ({@link LiveClients}), and every live configuration with the version in force and where it came
 * from ({@link LiveConfig#statusOfAll()}). Started by {@code CourierServer.Builder.statusPage}; see {@link
 * StatusPageConfig} for whom it answers.
 *
 * <p>It answers {@code GET} and {@code HEAD} of {@code /}, and of {@code /docs/<service>}: the
 * reference page the Courier plugin generated for a service the server serves, when the application
 * ships it on its classpath ({@link ReferenceDocs}); the service's row links it. It answers on one
 * daemon thread, with {@code Cache-Control: no-store} and a content security policy that allows no
 * script, frame or outside resource. Thread-safe; {@link #close()} stops it at once.
 */
public final class StatusPage implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StatusPage.class.getName());
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
  private static final String DOCS = "/docs/";

  private final HttpServer http;
  private final ExecutorService executor;
  private final StatusPageConfig config;
  private final StatusPageAccess access;
  private final ReferenceDocs docs;
  private final String server;
  private final Supplier<List<ServiceView>> services;
  private final MethodStats stats;
  private final LongSupplier nanoClock;
  private final long startedAt;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private StatusPage(StatusPageConfig config, String server, Supplier<List<ServiceView>> services,
      MethodStats stats, LongSupplier nanoClock) throws IOException {
    this.config = config;
    this.access = new StatusPageAccess(config.allowedAddresses());
    // The loader of the thread that starts the server sees the application's resources.
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    this.docs = new ReferenceDocs(loader != null ? loader : StatusPage.class.getClassLoader());
    this.server = server;
    this.services = services;
    this.stats = stats;
    this.nanoClock = nanoClock;
    this.startedAt = nanoClock.getAsLong();
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 16);
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "courier-status-page");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  /**
   * Starts the page for the server at {@code server} ({@code host:port}, shown in the title),
   * listing {@code services} and the figures of {@code stats}.
   *
   * @throws UncheckedIOException when the port cannot be bound, naming it
   */
  public static StatusPage start(StatusPageConfig config, String server, Supplier<List<ServiceView>> services,
      MethodStats stats) {
    Objects.requireNonNull(config, "config");
    try {
      return new StatusPage(config, Objects.requireNonNull(server, "server"),
          Objects.requireNonNull(services, "services"), Objects.requireNonNull(stats, "stats"), System::nanoTime);
    } catch (IOException e) {
      throw new UncheckedIOException("status page: cannot listen on " + config.host() + ":" + config.port()
          + " (" + e.getMessage() + "); choose another port with statusPage(port)", e);
    }
  }

  /** Where the page is: {@code http://127.0.0.1:<port>/}. */
  public URI address() {
    InetSocketAddress bound = http.getAddress();
    String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/");
  }

  /** The page as it is now; what {@code GET /} answers. */
  public String render() {
    List<ServiceView> served = services.get();
    Set<String> documented = new HashSet<>();
    served.forEach(s -> docs.page(s.name()).ifPresent(page -> documented.add(s.name())));
    return StatusPageHtml.render(new StatusPageHtml.Model(server,
        Duration.ofNanos(nanoClock.getAsLong() - startedAt), config.refresh(), served, documented, stats.rows(),
        LiveClients.snapshot(), LiveConfig.statusOfAll()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
      if (!access.allows(exchange.getRemoteAddress().getAddress(), exchange.getRequestHeaders().getFirst("Host"))) {
        send(exchange, 403, "text/plain", ("forbidden: the status page answers this machine only"
            + " (StatusPageConfig.allowing adds addresses)\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      boolean head = method.equals("HEAD");
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/")) {
        send(exchange, 200, "text/html", head ? null : render().getBytes(StandardCharsets.UTF_8));
        return;
      }
      Optional<byte[]> page = path.startsWith(DOCS) ? referencePage(path.substring(DOCS.length())) : Optional.empty();
      if (page.isPresent()) {
        send(exchange, 200, "text/html", head ? null : page.get());
        return;
      }
      send(exchange, 404, "text/plain", ("not found: the status page is at /, the reference pages of the services"
          + " it lists at /docs/<service>\n").getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "status page failed to answer", e);
    }
  }

  /** The generated reference page of {@code service}, when the server serves it and the page is on the classpath. */
  private Optional<byte[]> referencePage(String service) {
    return services.get().stream().anyMatch(s -> s.name().equals(service)) ? docs.page(service) : Optional.empty();
  }

  /** Sends {@code body}, or for a {@code HEAD} ({@code body} {@code null}) the headers alone. */
  private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(code, body == null ? -1 : body.length);
    if (body != null) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops the page at once; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "StatusPage{" + address() + "}";
  }
}
