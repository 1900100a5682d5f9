package dev.courier.runtime.client;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.balance.Randoms;
import dev.courier.runtime.config.BudgetSettings;
import dev.courier.runtime.config.GrpcServiceConfig;
import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.discovery.NameResolverEndpointSource;
import dev.courier.runtime.internal.Checks;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.tls.ClientTls;
import io.grpc.CallCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Configures a generated client: where its servers are, how calls are balanced, and run-time
 * overrides of the policies declared in the {@code .proto}.
 *
 * <p>Generated clients expose it as {@code XxxClient.builder()}. Not thread-safe; the client it
 * builds is. {@link #build()} freezes the configuration into an immutable {@code ClientConfig}:
 * the builder does not travel into the client, and changing it afterwards changes no client it
 * built. Setters check their arguments at once and fail with {@code "name: value (expected:
 * ...)"} (or a {@link NullPointerException} naming the argument).
 *
 * <p>Defaults: {@code LEAST_LOADED} (or {@code CONSISTENT_HASH} for a method with a hash key), the declared policies, plaintext channels, no interceptors, no call
 * credentials, {@link PassiveHealth#DEFAULT}, a {@link RetryBudget#defaults() default budget} per built client on
 * this builder's clock, no callback executor, no listener, {@code System::nanoTime},
 * thread-local randomness, and one shared daemon scheduler thread.
 *
 * @param <C> the generated client type
 */
public final class ClientBuilder<C> {
  private final String serviceName;
  private final Function<ClientRuntime, C> factory;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private BalancerKind balancer; // null: by method (see balancer(...))
  private UnaryOperator<MethodPolicy.Builder> serviceOverride = UnaryOperator.identity();
  private final Map<String, UnaryOperator<MethodPolicy.Builder>> methodOverrides = new LinkedHashMap<>();
  private EndpointSource endpointSource;
  private ChannelFactory channelFactory = ChannelFactory.plaintext();
  private PassiveHealth passiveHealth = PassiveHealth.DEFAULT;
  private RetryBudget retryBudget;
  private Executor callbackExecutor;
  private CourierListener listener = CourierListener.NONE;
  private LongSupplier nanoClock = System::nanoTime;
  private RandomGenerator random = Randoms.threadLocal();
  private ScheduledExecutorService scheduler;
  private final List<ClientInterceptor> interceptors = new ArrayList<>();
  private CallCredentials callCredentials;
  private LiveConfig liveConfig;
  private final List<RpcMethod<?, ?>> methods = new ArrayList<>();
  /** A budget to make on this builder's clock at {@link #config()}, from {@link #serviceConfig}. */
  private BudgetSettings budgetSettings;

  private ClientBuilder(String serviceName, Function<ClientRuntime, C> factory) {
    this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** For generated code: a builder for the service {@code serviceName}. */
  public static <C> ClientBuilder<C> forService(String serviceName, Function<ClientRuntime, C> factory) {
    return new ClientBuilder<>(serviceName, factory);
  }

  /**
   * Servers to call, as {@code host:port[,host:port...]} (each optionally {@code ;weight=N}); not
   * blank. Adds to what earlier calls gave.
   *
   * <p>Or a name for one of grpc's resolvers, such as {@code dns:///orders.internal:8443}: every
   * address the name resolves to becomes an endpoint, balanced and health-checked one by one, and
   * the name is resolved again every 30 s (see {@link NameResolverEndpointSource}). Such a target
   * replaces the endpoint source, as {@link #endpointSource} does.
   */
  public ClientBuilder<C> target(String targets) {
    Checks.notBlank("targets", targets, "host:port[,host:port...] or dns:///host:port");
    if (NameResolverEndpointSource.isResolverTarget(targets.strip())) {
      return endpointSource(NameResolverEndpointSource.forTarget(targets.strip(), NameResolverEndpointSource.DEFAULT_REFRESH));
    }
    for (String part : targets.split(",")) {
      if (!part.isBlank()) {
        endpoints.add(Endpoint.parse(part));
      }
    }
    return this;
  }

  /**
   * Calls go through {@code channel}, a channel the caller built (an in-process channel in tests,
   * one with its own load balancing, or a shared one) and still owns: closing the client leaves it
   * open. Replaces the targets, endpoint source and channel factory given before; interceptors and
   * call credentials still apply. Courier sees it as one endpoint, named by its authority.
   */
  public ClientBuilder<C> channel(ManagedChannel channel) {
    Objects.requireNonNull(channel, "channel");
    endpoints.clear();
    endpointSource = EndpointSource.of(List.of(endpointNamed(channel.authority())));
    BorrowedChannel borrowed = new BorrowedChannel(channel);
    channelFactory = endpoint -> borrowed;
    return this;
  }

  /** An endpoint for a channel's authority: {@code host:port} when it is one, else the name on port 1. */
  private static Endpoint endpointNamed(String authority) {
    try {
      return Endpoint.parse(authority);
    } catch (IllegalArgumentException e) {
      return Endpoint.of(authority == null || authority.isBlank() ? "channel" : authority, 1);
    }
  }

  /** Servers to call. */
  public ClientBuilder<C> endpoints(List<Endpoint> list) {
    endpoints.addAll(List.copyOf(list));
    return this;
  }

  /**
   * Where the endpoints come from when they change at run time (a registry); replaces what
   * {@link #target} and {@link #endpoints} gave. Channels to endpoints that leave the set are shut
   * down gracefully: their calls in flight finish.
   */
  public ClientBuilder<C> endpointSource(EndpointSource source) {
    this.endpointSource = Objects.requireNonNull(source, "source");
    return this;
  }

  /** How a channel to one endpoint is opened; default {@link ChannelFactory#plaintext()}. The TLS hook. */
  public ClientBuilder<C> channelFactory(ChannelFactory factory) {
    this.channelFactory = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * TLS to every endpoint (mutual TLS when {@code tls} has a client certificate): shorthand for
   * {@code channelFactory(ChannelFactory.tls(tls))}. Default: plaintext.
   */
  public ClientBuilder<C> tls(ClientTls tls) {
    Objects.requireNonNull(tls, "tls");
    return channelFactory(ChannelFactory.tls(tls));
  }

  /**
   * Client interceptors for every call of the client, on every channel it opens whatever the
   * {@link #channelFactory channel factory} (plaintext, TLS, pooled or custom), and on every
   * attempt and hedge of a call: a retried call goes through them once per attempt. They run in
   * the order given, after those of earlier calls: the first sees each call first (and its
   * listener hears the answer last). Unlike grpc's {@code ClientInterceptors.intercept}, whose
   * last interceptor runs first. Default: none. Interceptors must be thread-safe.
   */
  public ClientBuilder<C> interceptors(ClientInterceptor... added) {
    interceptors.addAll(Checks.noNulls("interceptors", added));
    return this;
  }

  /**
   * Credentials for every call: set on the {@code CallOptions} of every attempt and hedge of a
   * unary call and of every stream, so they are asked for their headers once per attempt.
   * Replaces credentials given before; default none. The credentials learn from grpc whether the
   * channel is secure (TLS, see {@link #tls}) and may refuse to send a secret over plaintext.
   */
  public ClientBuilder<C> callCredentials(CallCredentials credentials) {
    this.callCredentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /** The passive health set so far; for {@link ClientProperties}. */
  PassiveHealth currentPassiveHealth() {
    return passiveHealth;
  }

  /** Passive health checking; default {@link PassiveHealth#DEFAULT}. */
  public ClientBuilder<C> passiveHealth(PassiveHealth health) {
    this.passiveHealth = Objects.requireNonNull(health, "health");
    return this;
  }

  /**
   * The retry budget shared by every call of the built client (pass a new instance per client);
   * default {@link RetryBudget#defaults()} on this builder's clock. {@link RetryBudget#unlimited()}
   * turns it off.
   */
  public ClientBuilder<C> retryBudget(RetryBudget budget) {
    this.retryBudget = Objects.requireNonNull(budget, "budget");
    this.budgetSettings = null;
    return this;
  }

  /**
   * Where futures from {@code asyncUnary} are completed. Default: none, so they complete on the
   * gRPC thread that received the answer (fastest; continuations must not block). Set one when
   * callers attach blocking continuations with the non-async {@code CompletableFuture} methods.
   */
  public ClientBuilder<C> callbackExecutor(Executor executor) {
    this.callbackExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /** The clock for deadlines, backoff, budget and health, in nanoseconds; default {@code System::nanoTime}. */
  public ClientBuilder<C> nanoClock(LongSupplier clock) {
    this.nanoClock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Randomness for balancers and jitter; default thread-local randomness. Must be thread-safe. */
  public ClientBuilder<C> random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /**
   * Runs retries after their backoff; default a shared daemon thread. The caller owns an executor
   * given here (the client does not shut it down).
   */
  public ClientBuilder<C> scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * The balancer for methods that declare none. Default: {@code LEAST_LOADED} (power of two
   * choices on latency and calls in flight), or {@code CONSISTENT_HASH} for a method that
   * declares a {@code hash_key}. {@code ROUND_ROBIN} and the others stay available here and in the
   * {@code .proto}.
   */
  public ClientBuilder<C> balancer(BalancerKind kind) {
    this.balancer = Objects.requireNonNull(kind, "kind");
    return this;
  }

  /**
   * A deadline for every call of every method, all attempts included: positive, or {@code null}
   * for none. Default: the declared one.
   */
  public ClientBuilder<C> deadline(Duration deadline) {
    if (deadline != null) {
      Checks.positive("deadline", deadline);
    }
    return policy(p -> p.timeout(deadline));
  }

  /** A retry policy for every method. */
  public ClientBuilder<C> retry(RetryPolicy retry) {
    Objects.requireNonNull(retry, "retry");
    return policy(p -> p.retry(retry));
  }

  /** Overrides the declared policy of every method of the service. */
  public ClientBuilder<C> policy(UnaryOperator<MethodPolicy.Builder> override) {
    Objects.requireNonNull(override, "override");
    UnaryOperator<MethodPolicy.Builder> before = serviceOverride;
    serviceOverride = b -> override.apply(before.apply(b));
    return this;
  }

  /**
   * Overrides the declared policy of one method, named as in the {@code .proto} ({@code GetStock})
   * or in full ({@code pkg.Inventory/GetStock}). Applied after the service-wide overrides.
   */
  public ClientBuilder<C> policy(String method, UnaryOperator<MethodPolicy.Builder> override) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(override, "override");
    String full = method.indexOf('/') >= 0 ? method : serviceName + "/" + method;
    methodOverrides.merge(full, override, (a, b) -> x -> b.apply(a.apply(x)));
    return this;
  }

  /**
   * Tells {@code added} about this client's calls, attempts, retries, spent budget and ejections
   * (see {@link CourierListener}); several listeners are told in the order they were added.
   */
  public ClientBuilder<C> listener(CourierListener added) {
    Objects.requireNonNull(added, "listener");
    listener = listener == CourierListener.NONE ? added : CourierListener.all(List.of(listener, added));
    return this;
  }

  /**
   * Applies run-time overrides from {@code properties}, in the format of the
   * {@code <Service>-config.properties} skeleton the plugin writes: {@code courier.<service>.targets},
   * {@code courier.<service>.<setting>} for every method, {@code courier.<service>/<Method>.<setting>}
   * for one. Keys of other services are ignored.
   *
   * @throws IllegalArgumentException naming the key, when a setting is unknown or a value does not parse
   */
  public ClientBuilder<C> configure(java.util.Properties properties) {
    Objects.requireNonNull(properties, "properties");
    ClientProperties.apply(this, serviceName, properties);
    return this;
  }

  /**
   * Follows {@code config}: its settings for this service (deadline, retry, hedge, balancer,
   * budget; per service and per method) apply over the builder's and the {@code .proto}'s, and
   * change while the client runs. A call uses the policy in force when it starts, to its end; a
   * key removed from the live configuration gives the builder's (or else the declared) value back.
   * The precedence, per call: {@link ClientRuntime#withDeadline} &gt; live &gt; builder &gt; {@code .proto}.
   *
   * <p>Each new version is checked against the client's methods ({@link #methods}, and every
   * method called so far) before it applies; see {@link LiveConfig}. {@link #build()} fails with
   * a {@link dev.courier.runtime.config.ConfigException} when the version in force does not fit.
   */
  public ClientBuilder<C> liveConfig(LiveConfig config) {
    this.liveConfig = Objects.requireNonNull(config, "config");
    return this;
  }

  /**
   * The methods of the service, so that live versions and {@link #serviceConfig} are checked
   * against every one of them before they apply (a key naming a method the service does not have
   * is refused too); adds to methods given before. Default: none, so versions are checked against
   * the methods called so far.
   */
  public ClientBuilder<C> methods(RpcMethod<?, ?>... declared) {
    methods.addAll(Checks.noNulls("methods", declared));
    return this;
  }

  /**
   * Reads grpc's service config ({@code methodConfig} with {@code timeout}, {@code retryPolicy},
   * {@code hedgingPolicy}; {@code loadBalancingConfig}; {@code retryThrottling}), durations as
   * strings as grpc writes them, and applies what it says about this service as builder overrides
   * (see {@link GrpcServiceConfig} for the mapping).
   *
   * @throws dev.courier.runtime.config.ConfigException naming the field, its value and why, when
   *     the JSON does not parse or holds what Courier has no equivalent for; nothing is ignored
   */
  public ClientBuilder<C> serviceConfig(String json) {
    GrpcServiceConfig imported = GrpcServiceConfig.read(json, serviceName);
    if (!imported.service().isEmpty()) {
      policy(imported.service().asOperator());
    }
    imported.methods().forEach((method, override) -> policy(method, override.asOperator()));
    imported.balancerIfGiven().ifPresent(this::balancer);
    imported.budgetIfGiven().ifPresent(this::budget);
    return this;
  }

  /** A retry budget with {@code settings}, made on this builder's clock; replaces one given before. */
  ClientBuilder<C> budget(BudgetSettings settings) {
    budgetSettings = Objects.requireNonNull(settings, "settings");
    retryBudget = null;
    return this;
  }

  /**
   * Builds the client from the configuration as it is now (see the class comment); may be called
   * again for another, independent client. Fails when no endpoint and no endpoint source was given.
   */
  public C build() {
    if (endpoints.isEmpty() && endpointSource == null) {
      throw new IllegalStateException(
          "no endpoints for " + serviceName + " (expected: target(\"host:port,...\") or endpoints(...))");
    }
    return factory.apply(new ClientRuntime(config()));
  }

  /**
   * The configuration as it is now, with every default resolved: a new default budget on this
   * builder's clock, the shared scheduler, a static endpoint source. Later changes to this builder
   * do not affect it.
   */
  ClientConfig config() {
    LongSupplier clock = nanoClock;
    return new ClientConfig(
        serviceName,
        endpointSource != null ? endpointSource : EndpointSource.of(List.copyOf(endpoints)),
        channelFactory,
        passiveHealth,
        retryBudget != null ? retryBudget
            : budgetSettings != null ? budgetSettings.budget(clock) : BudgetSettings.DEFAULT.budget(clock),
        callbackExecutor,
        listener,
        clock,
        random,
        scheduler != null ? scheduler : SharedScheduler.INSTANCE,
        balancer,
        serviceOverride,
        methodOverrides,
        interceptors,
        callCredentials,
        liveConfig,
        methods);
  }
}
