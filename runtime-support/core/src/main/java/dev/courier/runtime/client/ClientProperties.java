package dev.courier.runtime.client;

import dev.courier.runtime.config.ConfigException;
import dev.courier.runtime.config.ConfigProblem;
import dev.courier.runtime.config.PolicyKeys;
import dev.courier.runtime.config.ServiceLayer;
import dev.courier.runtime.internal.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Run-time overrides read from properties, in the format of the configuration skeleton the
 * plugin writes next to each service ({@code <Service>-config.properties}), read by {@link
 * PolicyKeys} as live configuration is:
 *
 * <pre>
 * courier.bookstore.Catalog.targets=10.0.0.1:8080,10.0.0.2:8080
 * courier.bookstore.Catalog.timeout=3s                       # every method
 * courier.bookstore.Catalog/GetBook.balancer=LEAST_LOADED    # one method
 * courier.bookstore.Catalog/GetBook.retry.maxAttempts=5
 * </pre>
 *
 * <p>Empty values are ignored; keys of other services are ignored; an unknown setting of this
 * service, or a value that does not parse, fails with the key and what it expects. A {@code
 * budget.*} key sets the client's retry budget; a {@code health.*} key (per service only, and
 * not live) its passive health: {@code health.failureThreshold}, {@code health.baseEjection} (the
 * first ejection, after which the probe goes), {@code health.maxEjection}, {@code
 * health.slowStart} (see {@link PassiveHealth}).
 */
final class ClientProperties {
  static final List<String> HEALTH_SETTINGS =
      List.of("health.failureThreshold", "health.baseEjection", "health.maxEjection", "health.slowStart");

  private ClientProperties() {}

  static void apply(ClientBuilder<?> builder, String serviceName, Properties properties) {
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    PassiveHealth health = health(serviceName, values, builder.currentPassiveHealth());
    if (health != null) {
      builder.passiveHealth(health);
    }
    ServiceLayer layer = PolicyKeys.read(serviceName, values, problem -> {
      throw new ConfigException(problem);
    });
    layer.targetsIfGiven().ifPresent(builder::target);
    if (!layer.service().isEmpty()) {
      builder.policy(layer.service().asOperator());
    }
    layer.methods().forEach((method, override) -> builder.policy(method, override.asOperator()));
    if (layer.budget() != null) {
      builder.budget(layer.budget());
    }
  }

  /**
   * {@code current} with the service's {@code health.*} keys applied (and removed from {@code
   * values}), or {@code null} when there are none; the record checks the combination.
   */
  private static PassiveHealth health(String serviceName, Map<String, String> values, PassiveHealth current) {
    String prefix = "courier." + serviceName + ".";
    String methodPrefix = "courier." + serviceName + "/";
    Map<String, String> given = new TreeMap<>();
    for (String key : List.copyOf(values.keySet())) {
      String value = values.get(key).strip();
      if (key.startsWith(methodPrefix)) {
        String setting = key.substring(key.indexOf('.', methodPrefix.length()) + 1);
        if (HEALTH_SETTINGS.contains(setting) && !value.isEmpty()) {
          throw new ConfigException(new ConfigProblem(key, value, setting + " is set per service (expected: "
              + prefix + setting + ")"));
        }
      } else if (key.startsWith(prefix) && HEALTH_SETTINGS.contains(key.substring(prefix.length()))) {
        values.remove(key);
        if (!value.isEmpty()) {
          given.put(key.substring(prefix.length()), value);
        }
      }
    }
    if (given.isEmpty()) {
      return null;
    }
    int threshold = current.failureThreshold();
    if (given.containsKey("health.failureThreshold")) {
      String v = given.get("health.failureThreshold");
      try {
        threshold = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new ConfigException(new ConfigProblem(prefix + "health.failureThreshold", v,
            "'" + v + "' (expected: a whole number)"), e);
      }
    }
    try {
      return new PassiveHealth(threshold,
          duration(prefix, "health.baseEjection", given, current.baseEjection()),
          duration(prefix, "health.maxEjection", given, current.maxEjection()),
          duration(prefix, "health.slowStart", given, current.slowStart()));
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigProblem(prefix + "health.*", given.toString(), e.getMessage()), e);
    }
  }

  private static Duration duration(String prefix, String setting, Map<String, String> given, Duration current) {
    String v = given.get(setting);
    if (v == null) {
      return current;
    }
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigProblem(prefix + setting, v,
          "'" + v + "' (expected: a duration such as 250ms, 2s, 1m)"), e);
    }
  }
}
