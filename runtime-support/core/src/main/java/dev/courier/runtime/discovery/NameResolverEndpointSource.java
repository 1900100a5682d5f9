package dev.courier.runtime.discovery;

import dev.courier.runtime.observe.TraceLog;
import io.grpc.ChannelLogger;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Endpoints from one of grpc's name resolvers: {@code dns:///host:port} (grpc's DNS resolver, which
 * honours the JVM's DNS cache TTL) or any scheme registered with grpc's {@link
 * NameResolverRegistry}. Each resolved socket address becomes an endpoint, so Courier's balancer
 * and passive health see every address behind the name. The name is resolved again every refresh
 * interval (default 30 s) and whenever the resolver itself reports a change. A failed resolution
 * keeps the last good set and logs one line. {@link #subscribe} waits up to {@value
 * #FIRST_RESOLUTION_SECONDS} s for the first answer, so that a client built on a name can call at
 * once; when none comes by then, calls fail with {@code UNAVAILABLE} ("no endpoints") until it
 * does. Thread-safe; each subscription has its own resolver.
 */
public final class NameResolverEndpointSource implements EndpointSource {
  /** How often the name is resolved again by default. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);
  /** How long {@link #subscribe} waits for the first resolution. */
  public static final int FIRST_RESOLUTION_SECONDS = 5;

  private static final System.Logger LOG = System.getLogger(NameResolverEndpointSource.class.getName());

  private final URI target;
  private final Duration refresh;

  private NameResolverEndpointSource(URI target, Duration refresh) {
    this.target = target;
    this.refresh = refresh;
  }

  /**
   * A source for {@code target}, such as {@code dns:///orders.internal:8443}.
   *
   * @throws IllegalArgumentException when {@code target} is not a URI, or grpc has no resolver for
   *     its scheme (naming the schemes it has)
   */
  public static NameResolverEndpointSource forTarget(String target, Duration refresh) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(refresh, "refresh");
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("refresh " + refresh + " (expected: > 0)");
    }
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("target \"" + target + "\" is not a URI (expected: dns:///host:port)", e);
    }
    if (uri.getScheme() == null || NameResolverRegistry.getDefaultRegistry().getProviderForScheme(uri.getScheme()) == null) {
      throw new IllegalArgumentException("target \"" + target + "\": grpc has no name resolver for scheme "
          + uri.getScheme() + " (expected: dns:///host:port, a scheme registered with grpc's NameResolverRegistry,"
          + " or host:port)");
    }
    return new NameResolverEndpointSource(uri, refresh);
  }

  /** Whether {@code target} names a resolver scheme ({@code dns:///...}) rather than {@code host:port}. */
  public static boolean isResolverTarget(String target) {
    int colon = target.indexOf(':');
    return colon > 0 && target.startsWith("/", colon + 1) && target.substring(0, colon).chars()
        .allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.');
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "courier-resolver-" + target.getAuthority() + target.getPath());
      thread.setDaemon(true);
      return thread;
    });
    SynchronizationContext sync = new SynchronizationContext((thread, e) ->
        LOG.log(Level.WARNING, "name resolution of " + target + " failed unexpectedly", e));
    NameResolver resolver = NameResolverRegistry.getDefaultRegistry().asFactory().newNameResolver(target,
        NameResolver.Args.newBuilder()
            .setDefaultPort(443)
            .setProxyDetector(address -> null)
            .setSynchronizationContext(sync)
            .setScheduledExecutorService(timer)
            .setServiceConfigParser(new NoServiceConfig())
            .setChannelLogger(new QuietChannelLogger())
            .build());
    if (resolver == null) {
      timer.shutdownNow();
      throw new IllegalArgumentException("grpc's resolver for " + target + " refused the target");
    }
    Subscription subscription = new Subscription(resolver, listener, timer);
    sync.execute(() -> resolver.start(subscription));
    long nanos = refresh.toNanos();
    subscription.refreshTimer = timer.scheduleWithFixedDelay(() -> sync.execute(resolver::refresh),
        nanos, nanos, TimeUnit.NANOSECONDS);
    try {
      if (!subscription.firstAnswer.await(FIRST_RESOLUTION_SECONDS, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, TraceLog.line("no answer from the resolver of " + target + " within "
            + FIRST_RESOLUTION_SECONDS + " s; calls fail with UNAVAILABLE until it answers"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return subscription;
  }

  /** Endpoints from the resolved addresses: socket addresses only, in order, without duplicates. */
  static List<Endpoint> endpointsOf(List<EquivalentAddressGroup> groups) {
    Set<Endpoint> endpoints = new LinkedHashSet<>();
    for (EquivalentAddressGroup group : groups) {
      for (SocketAddress address : group.getAddresses()) {
        if (address instanceof InetSocketAddress inet) {
          String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
          endpoints.add(new Endpoint(host, inet.getPort(), 1, Map.of()));
        }
      }
    }
    return new ArrayList<>(endpoints);
  }

  @Override
  public String toString() {
    return "resolver " + target + " (refreshed every " + refresh.toSeconds() + " s)";
  }

  private final class Subscription extends NameResolver.Listener2 implements AutoCloseable {
    private final NameResolver resolver;
    private final Listener listener;
    private final ScheduledExecutorService timer;
    private volatile ScheduledFuture<?> refreshTimer;
    private volatile boolean closed;
    /** Opens at the first result or error. */
    final java.util.concurrent.CountDownLatch firstAnswer = new java.util.concurrent.CountDownLatch(1);
    private List<Endpoint> last = List.of(); // only on the synchronization context

    Subscription(NameResolver resolver, Listener listener, ScheduledExecutorService timer) {
      this.resolver = resolver;
      this.listener = listener;
      this.timer = timer;
    }

    @Override
    public void onResult(NameResolver.ResolutionResult result) {
      try {
        deliver(result);
      } finally {
        firstAnswer.countDown();
      }
    }

    private void deliver(NameResolver.ResolutionResult result) {
      if (closed) {
        return;
      }
      if (!result.getAddressesOrError().hasValue()) {
        onError(result.getAddressesOrError().getStatus());
        return;
      }
      List<Endpoint> endpoints = endpointsOf(result.getAddressesOrError().getValue());
      if (endpoints.isEmpty()) {
        LOG.log(Level.WARNING, target + " resolved to no address; keeping the last " + last.size());
        return;
      }
      if (!endpoints.equals(last)) {
        last = List.copyOf(endpoints);
        listener.onEndpoints(last);
      }
    }

    @Override
    public void onError(Status error) {
      firstAnswer.countDown();
      LOG.log(Level.WARNING, TraceLog.line("cannot resolve " + target + " (" + error.getCode() + ": "
          + error.getDescription() + "); keeping the last " + last.size() + " endpoints"));
    }

    @Override
    public void close() {
      closed = true;
      ScheduledFuture<?> timerTask = refreshTimer;
      if (timerTask != null) {
        timerTask.cancel(false);
      }
      resolver.shutdown();
      timer.shutdown();
    }
  }

  /** grpc's DNS resolver reads service configs from TXT records only when asked; Courier does not ask. */
  private static final class NoServiceConfig extends NameResolver.ServiceConfigParser {
    @Override
    public NameResolver.ConfigOrError parseServiceConfig(Map<String, ?> rawServiceConfig) {
      return NameResolver.ConfigOrError.fromError(Status.UNIMPLEMENTED.withDescription(
          "Courier takes policies from the .proto and ClientBuilder, not from DNS"));
    }
  }

  private static final class QuietChannelLogger extends ChannelLogger {
    @Override
    public void log(ChannelLogLevel level, String message) {
      if (level == ChannelLogLevel.WARNING || level == ChannelLogLevel.ERROR) {
        LOG.log(Level.WARNING, message);
      }
    }

    @Override
    public void log(ChannelLogLevel level, String messageFormat, Object... args) {
      if (level == ChannelLogLevel.WARNING || level == ChannelLogLevel.ERROR) {
        LOG.log(Level.WARNING, java.text.MessageFormat.format(messageFormat, args));
      }
    }
  }
}
