package dev.courier.runtime.client;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.config.BudgetSettings;
import dev.courier.runtime.config.ConfigException;
import dev.courier.runtime.config.ConfigProblem;
import dev.courier.runtime.config.ConfigTarget;
import dev.courier.runtime.config.ConfigVersion;
import dev.courier.runtime.config.PolicyKeys;
import dev.courier.runtime.config.PolicyRules;
import dev.courier.runtime.config.ServiceLayer;
import dev.courier.runtime.retry.RetryBudget;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live layer of one client's policies: what the {@link dev.courier.runtime.config.LiveConfig}
 * it follows says about its service, on top of the builder's and the {@code .proto}'s. The
 * pipeline asks it for a {@link Snapshot} per call; a call holds the policy it resolved from that
 * snapshot to its end, so a new version never changes a call in flight. Without a live
 * configuration the layer is empty and the snapshot never changes.
 *
 * <p>The methods it checks a version against are the ones the client declares ({@link
 * ClientBuilder#methods}) and every method called so far. Thread-safe.
 */
final class LivePolicies implements ConfigTarget {
  private static final System.Logger LOG = System.getLogger(LivePolicies.class.getName());
  private static final int MAX_KNOWN_METHODS = 4096;

  private final ClientConfig config;
  private final Set<String> declared;
  private final Map<String, RpcMethod<?, ?>> known = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot;

  /**
   * One version of the layer, with the policies resolved under it.
   *
   * @param layer what the version says about the service
   * @param budget the budget the version sets, {@code null} for the client's own
   * @param resolved each method's resolved policy under this version, filled as methods are called
   */
  record Snapshot(ServiceLayer layer, RetryBudget budget, ConcurrentHashMap<RpcMethod<?, ?>, CallPipeline.Resolved> resolved) {}

  LivePolicies(ClientConfig config) {
    this.config = config;
    Set<String> names = new TreeSet<>();
    for (RpcMethod<?, ?> method : config.methods()) {
      names.add(method.fullName());
      known.put(method.fullName(), method);
      List<String> violations = PolicyRules.violations(method.fullName(), config.policyOf(method));
      if (!violations.isEmpty()) {
        throw new IllegalArgumentException(violations.get(0) + " (the policy the .proto declares, with the builder's"
            + " overrides: policy, configure or serviceConfig)");
      }
    }
    this.declared = Set.copyOf(names);
    this.snapshot = new Snapshot(ServiceLayer.empty(config.serviceName()), null, new ConcurrentHashMap<>());
  }

  Snapshot snapshot() {
    return snapshot;
  }

  /**
   * The effective policy of {@code method} under {@code s}: the declared one, the builder's
   * overrides, then the live layer. A method first seen here that the layer does not fit (which a
   * declared method could not be, since the version was checked against it) keeps the builder's
   * policy, and a log line names the key.
   */
  MethodPolicy policyOf(Snapshot s, RpcMethod<?, ?> method) {
    MethodPolicy base = config.policyOf(method);
    if (known.size() < MAX_KNOWN_METHODS) {
      known.putIfAbsent(method.fullName(), method);
    }
    if (s.layer().isEmpty()) {
      return base;
    }
    List<ConfigProblem> problems = s.layer().check(base, method.fullName());
    if (!problems.isEmpty()) {
      LOG.log(Level.WARNING, "live configuration does not fit {0}, first called now; it keeps the policy of the"
          + " builder and the .proto: {1} (declare the client''s methods with ClientBuilder.methods so that such a"
          + " version is refused whole)", method.fullName(), problems);
      return base;
    }
    return s.layer().applyTo(base, method.fullName());
  }

  @Override
  public List<ConfigProblem> check(ConfigVersion version) {
    List<ConfigProblem> problems = new ArrayList<>();
    ServiceLayer layer = PolicyKeys.read(config.serviceName(), version.values(), problems::add);
    layer.targetsIfGiven().ifPresent(t -> problems.add(new ConfigProblem("courier." + config.serviceName() + ".targets", t,
        "targets are not followed live (expected: an endpoint source that changes, such as"
            + " ClientBuilder.endpointSource(Discovery.fromUri(...)).endpointSource(\"" + config.serviceName() + "\"))")));
    if (!declared.isEmpty()) {
      for (String method : layer.methods().keySet()) {
        if (!declared.contains(method)) {
          problems.add(new ConfigProblem("courier." + method, "", "no method " + method.substring(method.indexOf('/') + 1)
              + " in " + config.serviceName() + " (expected one of " + declared + ")"));
        }
      }
    }
    for (RpcMethod<?, ?> method : known.values()) {
      MethodPolicy base;
      try {
        base = config.policyOf(method);
      } catch (IllegalArgumentException e) {
        continue; // the builder's own overrides fail: its calls say so, whatever the live layer holds
      }
      problems.addAll(layer.check(base, method.fullName()));
    }
    return problems;
  }

  @Override
  public void apply(ConfigVersion version) {
    ServiceLayer layer = PolicyKeys.read(config.serviceName(), version.values(), p -> {
      throw new ConfigException(p); // check() accepted it: cannot happen
    });
    Snapshot before = snapshot;
    RetryBudget budget = null;
    BudgetSettings settings = layer.budget();
    if (settings != null) {
      budget = settings.equals(before.layer().budget()) ? before.budget() : settings.budget(config.nanoClock());
    }
    snapshot = new Snapshot(layer, budget, new ConcurrentHashMap<>());
  }

  @Override
  public String toString() {
    return "client of " + config.serviceName();
  }
}
