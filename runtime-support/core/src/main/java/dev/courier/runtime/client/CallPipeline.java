package dev.courier.runtime.client;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.balance.Balancer;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.retry.Backoff;
import dev.courier.runtime.retry.RetryBudget;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Everything the calls of one client share: the live endpoint set, one balancer per kind, the
 * retry budget, the clock, randomness, the scheduler for backoff, and the effective policy of each
 * method (resolved once, then cached). Thread-safe.
 */
final class CallPipeline implements AutoCloseable {
  private static final int MAX_CACHED_METHODS = 4096;

  final String serviceName;
  /** What {@code UNAVAILABLE} says when the set is empty: the service and where its endpoints come from. */
  final String noEndpoints;
  final EndpointSet endpoints;
  final RetryBudget budget;
  final LongSupplier nanoClock;
  final RandomGenerator random;
  final ScheduledExecutorService scheduler;
  final Executor callbackExecutor;
  final CourierListener listener;
  private final AutoCloseable subscription;
  private final BalancerKind defaultBalancer;
  private final Map<BalancerKind, Balancer> balancers = new EnumMap<>(BalancerKind.class);
  private final Function<RpcMethod<?, ?>, MethodPolicy> policies;
  private final ConcurrentHashMap<RpcMethod<?, ?>, Resolved> resolved = new ConcurrentHashMap<>();

  /** A method's effective policy with the parts the pipeline derives from it. */
  record Resolved(MethodPolicy policy, Balancer balancer, Backoff backoff) {}

  CallPipeline(ClientBuilder<?> b) {
    this.serviceName = b.serviceName();
    this.nanoClock = b.nanoClock();
    this.random = b.random();
    this.scheduler = b.scheduler();
    this.callbackExecutor = b.callbackExecutor();
    this.budget = b.retryBudget();
    this.listener = CourierListener.safe(b.listener());
    this.defaultBalancer = b.balancer();
    this.policies = b.policySnapshot();
    for (BalancerKind kind : BalancerKind.values()) {
      balancers.put(kind, Balancer.of(kind, random));
    }
    this.endpoints = new EndpointSet(b.channelFactory(), nanoClock, b.passiveHealth(), listener);
    EndpointSource source = b.endpointSource();
    this.noEndpoints = "no endpoints for " + serviceName + " from " + source
        + " (none seen yet, or every endpoint left)";
    try {
      this.subscription = source.subscribe(endpoints);
    } catch (RuntimeException e) {
      endpoints.close();
      throw e;
    }
  }

  Resolved resolve(RpcMethod<?, ?> method) {
    Resolved r = resolved.get(method);
    if (r == null) {
      MethodPolicy policy = policies.apply(method);
      Balancer balancer = balancers.get(policy.balancer().orElse(defaultBalancer));
      r = new Resolved(policy, balancer, Backoff.of(policy.retry()));
      if (resolved.size() < MAX_CACHED_METHODS) {
        resolved.putIfAbsent(method, r);
      }
    }
    return r;
  }

  /**
   * The call's deadline as a nano-clock instant, or {@link Long#MAX_VALUE} for none: the override
   * or declared timeout, capped by the deadline of the current gRPC {@link Context} (the
   * remaining deadline of the incoming call when called inside a server method).
   */
  long deadlineAt(Resolved r, Duration override, long now) {
    Duration timeout = override != null ? override : r.policy().timeout().orElse(null);
    long own = timeout == null ? Long.MAX_VALUE : now + timeout.toNanos();
    Deadline inherited = Context.current().getDeadline();
    return inherited == null ? own : Math.min(own, now + inherited.timeRemaining(TimeUnit.NANOSECONDS));
  }

  /**
   * Picks a node for an attempt, relaxing step by step so that a call is never refused while
   * some endpoint exists: healthy and not tried yet; healthy; not tried yet (every endpoint is
   * ejected); any. Returns {@code null} only when the set is empty.
   */
  EndpointNode pick(Balancer balancer, String key, long now, List<EndpointNode> tried) {
    List<EndpointNode> nodes = endpoints.nodes();
    if (nodes.isEmpty()) {
      return null;
    }
    EndpointNode node;
    if (tried.isEmpty()) {
      node = balancer.pick(nodes, n -> n.healthy(now), key);
    } else {
      node = balancer.pick(nodes, n -> n.healthy(now) && !tried.contains(n), key);
      if (node == null) {
        node = balancer.pick(nodes, n -> n.healthy(now), key);
      }
    }
    if (node == null) {
      Predicate<EndpointNode> untried = n -> !tried.contains(n);
      node = balancer.pick(nodes, untried, key);
    }
    if (node == null) {
      node = balancer.pick(nodes, n -> true, key);
    }
    return node;
  }

  /** Whether some endpoint of the set is not in {@code tried}. */
  boolean hasUntried(List<EndpointNode> tried) {
    for (EndpointNode node : endpoints.nodes()) {
      if (!tried.contains(node)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      // The source failed to unsubscribe; the endpoint set ignores it after close.
    }
    endpoints.close();
  }
}
