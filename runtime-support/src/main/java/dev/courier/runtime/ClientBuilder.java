package dev.courier.runtime;

import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Configures a generated client: where its servers are, how calls are balanced, and run-time
 * overrides of the policies declared in the {@code .proto}.
 *
 * <p>Generated clients expose it as {@code XxxClient.builder()}. Not thread-safe; the client it
 * builds is.
 *
 * @param <C> the generated client type
 */
public final class ClientBuilder<C> {
  private final String serviceName;
  private final Function<ClientRuntime, C> factory;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private BalancerKind balancer = BalancerKind.ROUND_ROBIN;
  private UnaryOperator<MethodPolicy.Builder> serviceOverride = UnaryOperator.identity();
  private final Map<String, UnaryOperator<MethodPolicy.Builder>> methodOverrides = new LinkedHashMap<>();

  private ClientBuilder(String serviceName, Function<ClientRuntime, C> factory) {
    this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** For generated code: a builder for the service {@code serviceName}. */
  public static <C> ClientBuilder<C> forService(String serviceName, Function<ClientRuntime, C> factory) {
    return new ClientBuilder<>(serviceName, factory);
  }

  /** Servers to call, as {@code host:port[,host:port...]} (each optionally {@code ;weight=N}). */
  public ClientBuilder<C> target(String targets) {
    Objects.requireNonNull(targets, "targets");
    for (String part : targets.split(",")) {
      if (!part.isBlank()) {
        endpoints.add(Endpoint.parse(part));
      }
    }
    return this;
  }

  /** Servers to call. */
  public ClientBuilder<C> endpoints(List<Endpoint> list) {
    endpoints.addAll(List.copyOf(list));
    return this;
  }

  /** The balancer for methods that declare none; default {@code ROUND_ROBIN}. */
  public ClientBuilder<C> balancer(BalancerKind kind) {
    this.balancer = Objects.requireNonNull(kind, "kind");
    return this;
  }

  /** A deadline for every call of every method, all attempts included. */
  public ClientBuilder<C> deadline(Duration deadline) {
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

  /** Builds the client; fails when no endpoint was given. */
  public C build() {
    if (endpoints.isEmpty()) {
      throw new IllegalStateException(
          "no endpoints for " + serviceName + " (expected: target(\"host:port,...\") or endpoints(...))");
    }
    return factory.apply(new ClientRuntime(this));
  }

  String serviceName() {
    return serviceName;
  }

  List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  BalancerKind balancer() {
    return balancer;
  }

  MethodPolicy effectivePolicy(RpcMethod<?, ?> method) {
    MethodPolicy.Builder b = serviceOverride.apply(method.policy().toBuilder());
    UnaryOperator<MethodPolicy.Builder> own = methodOverrides.get(method.fullName());
    return (own == null ? b : own.apply(b)).build();
  }
}
