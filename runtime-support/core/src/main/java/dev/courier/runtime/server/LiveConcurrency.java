package dev.courier.runtime.server;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.config.ConfigProblem;
import dev.courier.runtime.config.ConfigTarget;
import dev.courier.runtime.config.ConfigVersion;
import dev.courier.runtime.config.PolicyKeys;
import dev.courier.runtime.config.ServiceLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live {@code maxConcurrency} of one server's methods: {@code courier.<service>.maxConcurrency}
 * for every method of a service, {@code courier.<service>/<Method>.maxConcurrency} for one (0: no
 * limit), over the builder's override and the declared limit. A key removed gives those back. A
 * new limit holds for calls that start from then on; calls running keep running. The other
 * settings are the clients'; a server reads them only to refuse what it cannot read. Thread-safe.
 */
final class LiveConcurrency implements ConfigTarget {
  private final Map<String, ConcurrencyLimit<?, ?>> limits = new LinkedHashMap<>(); // filled before attach
  private final Set<String> services = new TreeSet<>();

  void add(String fullMethodName, ConcurrencyLimit<?, ?> limit) {
    limits.put(fullMethodName, limit);
    services.add(fullMethodName.substring(0, fullMethodName.indexOf('/')));
  }

  /** The services whose keys this server reads. */
  Set<String> services() {
    return Set.copyOf(services);
  }

  @Override
  public List<ConfigProblem> check(ConfigVersion version) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (String service : services) {
      ServiceLayer layer = PolicyKeys.read(service, version.values(), problems::add);
      for (String method : layer.methods().keySet()) {
        if (!limits.containsKey(method)) {
          problems.add(new ConfigProblem("courier." + method, "", "no method " + method.substring(method.indexOf('/') + 1)
              + " in " + service + " on this server (expected one of " + methodsOf(service) + ")"));
        }
      }
      for (Map.Entry<String, ConcurrencyLimit<?, ?>> e : limits.entrySet()) {
        if (e.getKey().startsWith(service + "/")) {
          try {
            layer.applyTo(base(e.getValue()), e.getKey());
          } catch (dev.courier.runtime.config.ConfigException ex) {
            problems.add(ex.problem());
          }
        }
      }
    }
    return problems;
  }

  @Override
  public synchronized void apply(ConfigVersion version) {
    Map<String, ServiceLayer> layers = new LinkedHashMap<>();
    for (String service : services) {
      layers.put(service, PolicyKeys.read(service, version.values(), p -> { }));
    }
    limits.forEach((method, limit) -> {
      ServiceLayer layer = layers.get(method.substring(0, method.indexOf('/')));
      limit.limit(layer.applyTo(base(limit), method).maxConcurrency());
    });
  }

  /**
   * What the layer is applied over to read its limit: the static limit; declared idempotent, since
   * the clients' settings (hedging, retryable codes) are the clients' to check.
   */
  private static MethodPolicy base(ConcurrencyLimit<?, ?> limit) {
    return MethodPolicy.builder().idempotent(true).maxConcurrency(limit.staticLimit()).build();
  }

  private List<String> methodsOf(String service) {
    return limits.keySet().stream().filter(m -> m.startsWith(service + "/")).toList();
  }

  @Override
  public String toString() {
    return "server of " + services;
  }
}
