package dev.courier.runtime.server;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.between;
import static dev.courier.runtime.internal.Checks.notBlank;
import static dev.courier.runtime.internal.Checks.notNegative;

import dev.courier.runtime.config.ConfigException;
import dev.courier.runtime.config.ConfigProblem;
import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.context.AccessRule;
import dev.courier.runtime.context.Authenticator;
import dev.courier.runtime.context.MethodAccess;
import dev.courier.runtime.discovery.AdvertisedHost;
import dev.courier.runtime.discovery.ServiceRegistry;
import dev.courier.runtime.internal.Checks;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.status.StatusPage;
import dev.courier.runtime.status.StatusPageConfig;
import dev.courier.runtime.tls.ServerTls;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A started gRPC server for one or more Courier services.
 *
 * <p>{@link #close()} shuts down gracefully: the server stops accepting calls, lets in-flight
 * calls finish within the grace period, then cancels what is left. Thread-safe.
 *
 * <p>A server built with {@link Builder#registerIn} announces each of its services in that
 * registry once it listens, and withdraws them first thing in {@link #close()} and {@link
 * #shutdownNow()}, so clients stop picking it before it drains.
 *
 * <p><b>Bad input.</b> Request bytes that do not parse as the method's request message fail the
 * call with {@code INVALID_ARGUMENT} (naming the method, the message type and protobuf's reason)
 * before the implementation sees them, for every service the server serves, health and reflection
 * included; grpc-java alone answers {@code UNKNOWN}. A streaming method that is already running
 * hears the same {@code INVALID_ARGUMENT} in its request observer's {@code onError}. One line at
 * {@code DEBUG}, no stack trace, is logged per refused call.
 *
 * <p>What protects it (concurrency limits, message size, the parse guard) and the order in which
 * interceptors, guards and limits see a call are described in the {@linkplain
 * dev.courier.runtime.server package documentation}.
 *
 * <p><b>Deadlines and cancellation.</b> A method runs in the incoming call's gRPC {@code Context}:
 * Courier client calls made from it (on the same thread) inherit the remaining deadline and are
 * cancelled when the incoming call is. Wrap a call in {@code Context.ROOT.run(...)} or {@code
 * Context.current().fork()} to detach it.
 */
public final class CourierServer implements AutoCloseable {
  private final Server server;
  private final HealthStatusManager health; // null without standard services
  private final GracefulStop stop;
  /** Set once, right after start, when the builder asked for a status page. */
  private volatile StatusPage statusPage;

  /** A server that already listens, stopped by {@code stop}; see {@link ServerLauncher}. */
  CourierServer(Server server, HealthStatusManager health, GracefulStop stop) {
    this.server = server;
    this.health = health;
    this.stop = stop;
  }

  /** A builder with the defaults described on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (the real one when it was started on port 0). */
  public int port() {
    return server.getPort();
  }

  /**
   * {@code host:port} a client on this machine can use.
   *
   * @throws IllegalStateException for an {@linkplain Builder#inProcess in-process} server, which
   *     has no address (connect with {@code InProcessChannelBuilder.forName(name)})
   */
  public String target() {
    if (!(server.getListenSockets().get(0) instanceof InetSocketAddress address)) {
      throw new IllegalStateException("an in-process server has no host:port; its clients connect by name: "
          + server.getListenSockets().get(0));
    }
    String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
    return host + ":" + address.getPort();
  }

  /**
   * The gRPC health service's status, to mark a service (or {@code ""}, the whole server) {@code
   * NOT_SERVING} and back while the process stays up; empty when standard services are off.
   */
  public Optional<HealthStatusManager> health() {
    return Optional.ofNullable(health);
  }

  /** Where the {@linkplain Builder#statusPage(int) status page} is, when there is one. */
  public Optional<URI> statusPage() {
    StatusPage page = statusPage;
    return page == null ? Optional.empty() : Optional.of(page.address());
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops abruptly: in-flight calls are cancelled. */
  public void shutdownNow() {
    closeStatusPage();
    stop.now();
  }

  /** Stops gracefully; see the class comment. */
  @Override
  public void close() {
    closeStatusPage();
    stop.graceful();
  }

  /** Called once, right after start, by {@link StatusPageLauncher}. */
  void attach(StatusPage page) {
    this.statusPage = page;
  }

  private void closeStatusPage() {
    StatusPage page = statusPage;
    if (page != null) {
      page.close();
    }
  }

  /**
   * Configures a {@link CourierServer}; setters validate at once, and {@link #start()} freezes the
   * settings (later changes to the builder do not reach a started server). Not thread-safe.
   */
  public static final class Builder {
    /** The default of {@link #maxInboundMessageSize}: 4 MiB, grpc-java's default. */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

    private String host;
    private int port;
    private Duration gracePeriod = Duration.ofSeconds(10);
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private ServiceRegistry registry;
    private String advertisedHost;
    private final Map<String, Integer> maxConcurrency = new LinkedHashMap<>();
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private ServerTls tls;
    private boolean standardServices = true;
    private boolean drainOnShutdown;
    private LiveConfig liveConfig;
    private Executor executor;
    private CallExecutor callExecutor = CallExecutor.defaults();
    private ServerLimits limits = ServerLimits.DEFAULT;
    private boolean condenseTransportLogs = true;
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private final Map<String, List<ServerInterceptor>> serviceInterceptors = new LinkedHashMap<>();
    private Authenticator authenticator;
    private String inProcessName;
    private final Map<String, List<String>> allow = new LinkedHashMap<>();
    private List<String> defaultAllow;
    private CourierListener listener = CourierListener.NONE;
    private StatusPageConfig statusPage;

    private Builder() {}

    /**
     * Whether the server also serves gRPC's health service ({@code grpc.health.v1.Health}: every
     * added service and {@code ""} answer {@code SERVING}, and {@code NOT_SERVING} once {@link
     * CourierServer#close()} starts draining) and server reflection ({@code grpc.reflection.v1} and
     * {@code v1alpha}), so that standard tools (grpcurl, grpc_cli, load balancers' health checks)
     * can list, describe and call it. Default {@code true}.
     */
    public Builder standardServices(boolean enabled) {
      this.standardServices = enabled;
      return this;
    }

    /**
     * Serve over grpc's in-process transport under {@code name} instead of a socket: for tests, and
     * for services that call each other inside one JVM. The address, TLS and connection settings
     * are ignored; everything else (guards, access rules, interceptors, limits, health) applies.
     * {@link InProcess} starts such a server with a client in one line.
     */
    public Builder inProcess(String name) {
      Objects.requireNonNull(name, "name");
      this.inProcessName = notBlank("inProcess", name);
      return this;
    }

    /** Listen on every interface at {@code port} (0 picks a free port). */
    public Builder port(int port) {
      return address(null, port);
    }

    /** Listen on {@code host} at {@code port} (0 picks a free port); {@code null} host: every interface. */
    public Builder address(String host, int port) {
      this.port = between("port", port, 0, 65535);
      this.host = host;
      return this;
    }

    /** Serves {@code service}, behind the server's guards and limits; services are served in the order added. */
    public Builder addService(ServerServiceDefinition service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /** Serves {@code service}'s {@link BindableService#bindService() definition}. */
    public Builder addService(BindableService service) {
      return addService(Objects.requireNonNull(service, "service").bindService());
    }

    /**
     * Serves {@code service} with {@code interceptors} of its own, which run after the server's
     * (see {@link #intercept(String, ServerInterceptor...)}).
     */
    public Builder addService(ServerServiceDefinition service, ServerInterceptor... interceptors) {
      addService(service);
      return intercept(service.getServiceDescriptor().getName(), interceptors);
    }

    /** Serves {@code service}'s definition with {@code interceptors} of its own; see above. */
    public Builder addService(BindableService service, ServerInterceptor... interceptors) {
      return addService(Objects.requireNonNull(service, "service").bindService(), interceptors);
    }

    /**
     * Interceptors for every call the server receives, those of the standard services included
     * (see the class comment for where they run); added after the ones given before. They run in
     * the order given: the first sees each call first. Unlike grpc's {@code
     * ServerInterceptors.intercept}, whose last interceptor runs first. Default: none.
     * Interceptors must be thread-safe.
     */
    public Builder intercept(ServerInterceptor... interceptors) {
      this.interceptors.addAll(Checks.noNulls("interceptors", interceptors));
      return this;
    }

    /**
     * Interceptors for the calls of the service {@code serviceName} ({@code package.Service}),
     * after the server's and after the ones given before for it, in the order given. For services
     * added by generated code ({@code XxxServer.builder(impl)}). {@link #start} fails when no added
     * service has that name.
     */
    public Builder intercept(String serviceName, ServerInterceptor... interceptors) {
      Objects.requireNonNull(serviceName, "serviceName");
      notBlank("serviceName", serviceName);
      List<ServerInterceptor> checked = Checks.noNulls("interceptors", interceptors);
      serviceInterceptors.computeIfAbsent(serviceName, name -> new ArrayList<>()).addAll(checked);
      return this;
    }

    /**
     * Who calls: {@code authenticator} turns each call's credentials (a bearer token, the mTLS
     * certificate) into a {@link dev.courier.runtime.context.Principal}, which the access rules
     * test and the implementation reads from {@link dev.courier.runtime.context.CallContext}. It runs
     * before every interceptor. Once set, a method with no {@code allow} rules anywhere needs an
     * authenticated caller (see {@link #defaultAllow}). Health and reflection stay open. Default:
     * none, every call is anonymous, and only methods without rules (or allowing {@code
     * "anyone"}) can be served.
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Who may call {@code methodOrService} ({@code package.Service/Method}, or {@code
     * package.Service} for each of its methods), instead of the {@code allow} rules declared in the
     * {@code .proto}: a call passes when any rule admits it ({@value AccessRule#FORMS}). Refused
     * calls fail with {@code UNAUTHENTICATED} or {@code PERMISSION_DENIED} before any interceptor
     * or the implementation runs. {@link #start} fails when nothing added has that name.
     *
     * @throws IllegalArgumentException naming a rule that is none of the forms
     */
    public Builder allow(String methodOrService, String... rules) {
      Objects.requireNonNull(methodOrService, "methodOrService");
      notBlank("methodOrService", methodOrService);
      List<String> checked = Checks.noNulls("rules", rules);
      MethodAccess.parse(methodOrService.contains("/") ? methodOrService : methodOrService + "/*", checked,
          "CourierServer.Builder.allow");
      allow.put(methodOrService, checked);
      return this;
    }

    /**
     * The rules of methods that have none in the builder or the {@code .proto}. Default: {@code
     * authenticated} once there is an {@link #authenticator}; open without one.
     */
    public Builder defaultAllow(String... rules) {
      List<String> checked = Checks.noNulls("rules", rules);
      MethodAccess.parse("defaultAllow/*", checked, "CourierServer.Builder.defaultAllow");
      this.defaultAllow = checked;
      return this;
    }

    /** Told of calls the server refuses before they run (access rules). Default: none. */
    public Builder listener(CourierListener listener) {
      this.listener = CourierListener.safe(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Installs a JVM shutdown hook that runs {@link CourierServer#close()} when the JVM shuts down
     * (SIGTERM, which container platforms send to stop a process; SIGINT; {@code System.exit}) and
     * waits for it: the JVM exits only once the server has deregistered, reported {@code
     * NOT_SERVING} and drained within the {@link #gracePeriod}. {@code close()} and {@code
     * shutdownNow()} remove the hook. Default: no hook.
     */
    public Builder drainOnShutdown() {
      this.drainOnShutdown = true;
      return this;
    }

    /**
     * Serves a live status page on {@code 127.0.0.1:port} (0 picks a free port; {@link
     * CourierServer#statusPage()} says where): the services with their declared policies, each
     * method's calls and latency percentiles since start, and every Courier client of the process
     * with its endpoints' health. It answers this machine only. Default: no page.
     */
    public Builder statusPage(int port) {
      return statusPage(StatusPageConfig.onPort(port));
    }

    /** Serves the status page as {@code config} says (another interface, more addresses answered). */
    public Builder statusPage(StatusPageConfig config) {
      this.statusPage = Objects.requireNonNull(config, "config");
      return this;
    }

    /** How long {@link CourierServer#close()} waits for in-flight calls; default 10 s. */
    public Builder gracePeriod(Duration gracePeriod) {
      this.gracePeriod = notNegative("gracePeriod", gracePeriod);
      return this;
    }

    /**
     * Overrides the concurrency limit of one method ({@code package.Service/Method}) on this
     * server; 0 removes the limit. Default: the method's declared {@code maxConcurrency}
     * (through {@link ServiceBindings}), none for services bound otherwise. Calls beyond the limit
     * are refused at once with {@code RESOURCE_EXHAUSTED}. {@link #start} fails when no added
     * service has the method.
     */
    public Builder maxConcurrency(String fullMethodName, int limit) {
      Objects.requireNonNull(fullMethodName, "fullMethodName");
      if (fullMethodName.indexOf('/') <= 0) {
        throw Checks.invalid("fullMethodName", Checks.quoted(fullMethodName), "package.Service/Method");
      }
      maxConcurrency.put(fullMethodName, notNegative("maxConcurrency", limit));
      return this;
    }

    /**
     * Follows {@code config}'s {@code maxConcurrency} keys ({@code courier.<service>.maxConcurrency},
     * {@code courier.<service>/<Method>.maxConcurrency}; 0 for no limit) while the server runs, over
     * {@link #maxConcurrency} and the declared limit; a removed key gives those back. A new limit
     * holds for calls that start from then on. Every method then counts its calls, limited or not.
     * {@link #start} fails when the version in force names a method no added service has.
     */
    public Builder liveConfig(LiveConfig config) {
      this.liveConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The largest request message accepted, in bytes; a larger one fails its call with {@code
     * RESOURCE_EXHAUSTED}. Default {@value #DEFAULT_MAX_INBOUND_MESSAGE_SIZE} (4 MiB).
     */
    public Builder maxInboundMessageSize(int bytes) {
      this.maxInboundMessageSize = atLeastOne("maxInboundMessageSize", bytes);
      return this;
    }

    /**
     * Where service methods run, and how many calls may run at once on the whole server; calls
     * beyond that are refused at once with {@code RESOURCE_EXHAUSTED}, never a thread per call.
     * Default {@link CallExecutor#defaults()}: virtual threads on Java 21+ (at most {@value
     * CallExecutor#DEFAULT_MAX_VIRTUAL_CALLS} calls), else at most {@value
     * CallExecutor#DEFAULT_MAX_PLATFORM_CALLS} platform threads. Replaces an {@link #executor}.
     */
    public Builder callExecutor(CallExecutor callExecutor) {
      this.callExecutor = Objects.requireNonNull(callExecutor, "callExecutor");
      this.executor = null;
      return this;
    }

    /**
     * Runs service methods on {@code executor} as grpc-java does, with no bound of Courier's
     * (instead of the {@link #callExecutor}): the executor then decides how many threads calls
     * get. For services whose methods never block (they answer from memory, or hand work to their
     * own threads and answer asynchronously), {@code Runnable::run} runs them on the network
     * thread and saves a thread hand-off per call, which on small machines is a large share of a
     * call's cost (Courier's benchmarks run their echo servers so). A method that blocks there
     * stalls every call on its connection.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * What one client connection may hold: calls at once, idle time, age, pings, resets,
     * handshake time, metadata size. Default {@link ServerLimits#DEFAULT}, which holds under a
     * hostile client; see there.
     */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Applies the server settings of {@code properties}, in the format of the {@code
     * <Service>-config.properties} skeleton the plugin writes: {@code courier.server.<setting>}, one
     * key per {@link ServerLimits} component (by its name), {@code maxInboundMessageSize}, and
     * {@code maxCalls} (the {@link #callExecutor}'s bound, on the same kind of threads). They apply
     * over what was set before; what is set afterwards wins. Empty values and keys outside {@code
     * courier.server.} (the clients' keys) are ignored. Read now, not followed live: these are
     * transport settings, fixed while the server runs.
     *
     * @throws IllegalArgumentException naming the key, when a setting is unknown, a value does not
     *     parse or is out of range, or {@code maxCalls} is given to a server whose methods run on an
     *     {@link #executor} (which has no bound of Courier's); nothing is applied then
     */
    public Builder configure(Properties properties) {
      ServerProperties read = ServerProperties.read(Objects.requireNonNull(properties, "properties"), limits);
      if (read.maxCalls() != null && executor != null) {
        throw new ConfigException(new ConfigProblem(ServerProperties.PREFIX + "maxCalls",
            String.valueOf(read.maxCalls()), "this server runs its methods on executor(...), which has no bound of"
            + " Courier's (expected: callExecutor(...) instead of executor(...), or no maxCalls key)"));
      }
      this.limits = read.limits();
      if (read.maxInboundMessageSize() != null) {
        this.maxInboundMessageSize = read.maxInboundMessageSize();
      }
      if (read.maxCalls() != null) {
        this.callExecutor = callExecutor.withMaxCalls(read.maxCalls());
      }
      return this;
    }

    /**
     * Whether grpc-java's transport log gets at most one line per bad input from a client; default
     * {@code true}. grpc-java logs a stack trace for every bad frame a client sends (a refused
     * stream, a bad gRPC frame header, oversized metadata, a malformed timeout), so one client can
     * fill the log. On, the records of grpc-netty-shaded's {@code NettyServerHandler}, {@code
     * NettyServerStream} and {@code NettyServerTransport.connections} loggers whose exceptions all
     * come from the client's input become one line each, at the same level, without the stack
     * trace; a record with any other exception (a possible bug) keeps it. This is a {@code
     * java.util.logging} filter on those loggers, for the whole JVM, put there by the first server
     * that starts with it on; {@code false} on every server leaves grpc-java's logging as it is.
     */
    public Builder condenseTransportLogs(boolean enabled) {
      this.condenseTransportLogs = enabled;
      return this;
    }

    /** Serves TLS (or mutual TLS, see {@link ServerTls#requireClientCertificates}); default plaintext. */
    public Builder tls(ServerTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** Serves TLS with the certificate chain and PKCS#8 private key in these PEM files. */
    public Builder tls(File certChainPem, File privateKeyPem) {
      return tls(ServerTls.fromPem(certChainPem, privateKeyPem));
    }

    /**
     * Registers every added service (by its gRPC service name) in {@code registry} at the real
     * port once the server listens; {@link CourierServer#close()} deregisters before draining.
     * Default: no registry.
     */
    public Builder registerIn(ServiceRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The host announced in the registry. Default: the listen host when one was given, else
     * {@link AdvertisedHost#forBindHost this machine's first non-loopback IPv4 address}.
     */
    public Builder advertisedHost(String host) {
      Objects.requireNonNull(host, "host");
      this.advertisedHost = notBlank("advertisedHost", host);
      return this;
    }

    /**
     * Binds and starts the server, then registers it when a registry was given.
     *
     * @throws dev.courier.runtime.discovery.RegistrationException when registering fails; the
     *     server is stopped
     */
    public CourierServer start() {
      return StatusPageLauncher.start(statusPage, services, interceptors, all -> ServerLauncher.start(
          new ServerConfig(host, port, gracePeriod, services, registry, advertisedHost, maxConcurrency,
              maxInboundMessageSize, tls, standardServices, executor, callExecutor, limits, all, serviceInterceptors,
              drainOnShutdown, new ServerAccess(authenticator, allow, defaultAllow, listener), liveConfig,
              inProcessName, condenseTransportLogs)));
    }
  }
}
