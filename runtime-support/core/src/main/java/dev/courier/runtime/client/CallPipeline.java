package dev.courier.runtime.client;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.Balancer;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.LiveClients;
import dev.courier.runtime.retry.RetryDecider;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Everything the calls of one client share, built from its frozen {@link ClientConfig}: the live
 * endpoint set, one balancer per kind, the clock, the scheduler, the listener, and the effective
 * policy of each method with its {@link RetryDecider} (resolved once, then cached), and the call
 * context every call carries (the interceptors, which wrap every channel, and the call
 * credentials). Calls use its methods; it exposes no fields. Thread-safe.
 */
final class CallPipeline implements AutoCloseable {
  private static final int MAX_CACHED_METHODS = 4096;

  private final ClientConfig config;
  /** What {@code UNAVAILABLE} says when the set is empty: the service and where its endpoints come from. */
  private final String noEndpoints;
  private final EndpointSet endpoints;
  private final AutoCloseable subscription;
  private final Map<BalancerKind, Balancer> balancers = new EnumMap<>(BalancerKind.class);
  /** The live layer of the policies, and each method's resolved policy under its version. */
  private final LivePolicies livePolicies;
  /** Stops following the live configuration; does nothing when the client follows none. */
  private final AutoCloseable liveFollow;
  /** What every attempt's options start from: the call credentials, if any. */
  private final CallOptions baseOptions;
  /** This client on the status page's list; removed by {@link #close}. */
  private final AutoCloseable listed;

  /** A method's effective policy with the parts the pipeline derives from it. */
  record Resolved(MethodPolicy policy, Balancer balancer, RetryDecider decider) {}

  CallPipeline(ClientConfig config) {
    this.config = config;
    for (BalancerKind kind : BalancerKind.values()) {
      balancers.put(kind, Balancer.of(kind, config.random()));
    }
    this.baseOptions = config.callCredentials() == null
        ? CallOptions.DEFAULT : CallOptions.DEFAULT.withCallCredentials(config.callCredentials());
    this.endpoints = new EndpointSet(InterceptedChannel.over(config.channelFactory(), config.interceptors()),
        config.nanoClock(), config.passiveHealth(), config.listener());
    this.noEndpoints = "no endpoints for " + config.serviceName() + " from " + config.endpointSource()
        + " (none seen yet, or every endpoint left)";
    this.livePolicies = new LivePolicies(config);
    try {
      this.liveFollow = config.liveConfig() == null ? () -> { }
          : config.liveConfig().attach(livePolicies, java.util.Set.of(config.serviceName()));
    } catch (RuntimeException e) {
      endpoints.close();
      throw e;
    }
    try {
      this.subscription = config.endpointSource().subscribe(endpoints);
    } catch (RuntimeException e) {
      endpoints.close();
      closeQuietly(liveFollow);
      throw e;
    }
    this.listed = LiveClients.register(this::snapshot);
  }

  /** This client's endpoints and retry budget now, for the status page; no addresses beyond host:port, no secrets. */
  LiveClients.ClientSnapshot snapshot() {
    long now = now();
    List<LiveClients.EndpointSnapshot> nodes = new ArrayList<>();
    for (EndpointNode node : endpoints.nodes()) {
      nodes.add(new LiveClients.EndpointSnapshot(node.endpoint().authority(), node.healthState(now),
          node.ejectionsTotal(), node.inFlight(), node.latencyNanos()));
    }
    String source = config.endpointSource().getClass().getSimpleName();
    if (config.liveConfig() != null) { // the version in force and where it came from; never its values
      dev.courier.runtime.config.ConfigVersion inForce = config.liveConfig().current();
      source += " · live configuration " + inForce.origin() + " revision " + inForce.revision();
    }
    return new LiveClients.ClientSnapshot("client", config.serviceName(), source, nodes, budget().usage(), Map.of());
  }

  /** The retry budget calls start with now: the live configuration's, else the built one. */
  private dev.courier.runtime.retry.RetryBudget budget() {
    dev.courier.runtime.retry.RetryBudget current = livePolicies.snapshot().budget();
    return current != null ? current : config.retryBudget();
  }

  /** The client's clock, in nanoseconds. */
  long now() {
    return config.nanoClock().getAsLong();
  }

  /** The client's listener; it never throws. */
  CourierListener listener() {
    return config.listener();
  }

  /** What a call that found no endpoint fails with, as a status description. */
  String noEndpoints() {
    return noEndpoints;
  }

  /** Runs {@code task} after {@code delayNanos} on the client's scheduler. */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return config.scheduler().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Cancels a timer from {@link #schedule}, if there is one; a task already running goes on. */
  static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Runs {@code completion} (which completes a caller's future) on the callback executor, or here when none is set. */
  void deliver(Runnable completion) {
    Executor executor = config.callbackExecutor();
    if (executor == null) {
      completion.run();
    } else {
      executor.execute(completion);
    }
  }

  /** The options an attempt or a stream starts from: {@code DEFAULT}, with the client's call credentials. */
  CallOptions callOptions() {
    return baseOptions;
  }

  /**
   * Fresh headers for one attempt or stream, holding {@code extra} (the view's metadata, {@code
   * null} for none): grpc may change the headers it is given, so no two attempts share them.
   */
  static Metadata headers(Metadata extra) {
    Metadata headers = new Metadata();
    if (extra != null) {
      headers.merge(extra);
    }
    return headers;
  }

  /**
   * The policy a call of {@code method} starting now uses, to its end: under the live version in
   * force now (see {@link LivePolicies}), cached per version.
   */
  Resolved resolve(RpcMethod<?, ?> method) {
    LivePolicies.Snapshot live = livePolicies.snapshot();
    Map<RpcMethod<?, ?>, Resolved> resolved = live.resolved();
    Resolved r = resolved.get(method);
    if (r == null) {
      MethodPolicy policy = livePolicies.policyOf(live, method);
      Balancer balancer = balancers.get(config.balancerOf(method, policy));
      RetryDecider decider = RetryDecider.of(policy.retry(), policy.idempotent(), policy.hedge().orElse(null),
          live.budget() != null ? live.budget() : config.retryBudget(), config.random());
      r = new Resolved(policy, balancer, decider);
      if (resolved.size() < MAX_CACHED_METHODS) {
        resolved.putIfAbsent(method, r);
      }
    }
    return r;
  }

  /**
   * The call's deadline as a nano-clock instant, or {@link RetryDecider#NO_DEADLINE}: the override
   * or declared timeout, capped by the deadline of the current gRPC {@link Context} (the
   * remaining deadline of the incoming call when called inside a server method).
   */
  long deadlineAt(Resolved r, Duration override, long now) {
    Duration timeout = override != null ? override : r.policy().timeout().orElse(null);
    long own = timeout == null ? RetryDecider.NO_DEADLINE : now + timeout.toNanos();
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
    closeQuietly(liveFollow);
    closeQuietly(listed);
    try {
      subscription.close();
    } catch (Exception e) {
      // The source failed to unsubscribe; the endpoint set ignores it after close.
    }
    endpoints.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // nothing more to do
    }
  }
}
