package dev.courier.runtime.client;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.RetryBudget;
import io.grpc.CallCredentials;
import io.grpc.ClientInterceptor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The configuration of one client, frozen by {@link ClientBuilder#build()}: every default is
 * resolved, and later changes to the builder do not reach it. The runtime ({@link ClientRuntime},
 * {@code CallPipeline}) sees only this record, never the builder.
 *
 * <p>Immutable; thread-safe as far as its parts are (the clock, randomness, scheduler, listener
 * and budget are shared by every call of the client and must be thread-safe).
 *
 * @param serviceName the gRPC service name, {@code pkg.Service}
 * @param endpointSource where the endpoints come from (a static list unless one was given)
 * @param channelFactory opens a channel per endpoint
 * @param passiveHealth when endpoints are ejected
 * @param retryBudget shared by every call of the client
 * @param callbackExecutor where futures complete; {@code null} for the gRPC thread
 * @param listener told about calls, attempts, retries and ejections; never throws
 * @param nanoClock the clock for deadlines, backoff, budget and health
 * @param random for balancers and jitter
 * @param scheduler runs backoff, hedge and attempt-timeout timers
 * @param balancer for methods that declare none; {@code null} for the default (see {@link #balancerOf})
 * @param serviceOverride applied to the declared policy of every method
 * @param methodOverrides by full method name, applied after {@code serviceOverride}
 * @param interceptors wrap every channel the client opens, whatever its factory; the first runs first
 * @param callCredentials set on every attempt's and every stream's {@code CallOptions}; {@code null} for none
 * @param liveConfig the live configuration followed, over the overrides above; {@code null} for none
 * @param methods the methods the client declares, which a live version is checked against
 */
record ClientConfig(
    String serviceName,
    EndpointSource endpointSource,
    ChannelFactory channelFactory,
    PassiveHealth passiveHealth,
    RetryBudget retryBudget,
    Executor callbackExecutor,
    CourierListener listener,
    LongSupplier nanoClock,
    RandomGenerator random,
    ScheduledExecutorService scheduler,
    BalancerKind balancer,
    UnaryOperator<MethodPolicy.Builder> serviceOverride,
    Map<String, UnaryOperator<MethodPolicy.Builder>> methodOverrides,
    List<ClientInterceptor> interceptors,
    CallCredentials callCredentials,
    LiveConfig liveConfig,
    List<RpcMethod<?, ?>> methods) {

  ClientConfig {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(endpointSource, "endpointSource");
    Objects.requireNonNull(channelFactory, "channelFactory");
    Objects.requireNonNull(passiveHealth, "passiveHealth");
    Objects.requireNonNull(retryBudget, "retryBudget");
    listener = CourierListener.safe(Objects.requireNonNull(listener, "listener"));
    Objects.requireNonNull(nanoClock, "nanoClock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(serviceOverride, "serviceOverride");
    methodOverrides = Map.copyOf(methodOverrides);
    interceptors = List.copyOf(interceptors);
    methods = List.copyOf(methods);
  }

  /**
   * The balancer of {@code method} with the effective {@code policy}: the declared one, else the
   * client's, else {@code CONSISTENT_HASH} for a method with a hash key and {@code LEAST_LOADED}
   * for the others.
   */
  BalancerKind balancerOf(RpcMethod<?, ?> method, MethodPolicy policy) {
    if (policy.balancer().isPresent()) {
      return policy.balancer().get();
    }
    if (balancer != null) {
      return balancer;
    }
    return method.hasHashKey() ? BalancerKind.CONSISTENT_HASH : BalancerKind.LEAST_LOADED;
  }

  /**
   * The policy of {@code method} below the live layer: declared, then the service-wide and the
   * method's overrides of the builder.
   */
  MethodPolicy policyOf(RpcMethod<?, ?> method) {
    MethodPolicy.Builder b = serviceOverride.apply(method.policy().toBuilder());
    UnaryOperator<MethodPolicy.Builder> own = methodOverrides.get(method.fullName());
    return (own == null ? b : own.apply(b)).build();
  }
}
