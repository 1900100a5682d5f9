package dev.courier.runtime.client;

import dev.courier.runtime.config.ConfigException;
import dev.courier.runtime.config.PolicyKeys;
import dev.courier.runtime.config.ServiceLayer;
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
 * budget.*} key sets the client's retry budget.
 */
final class ClientProperties {
  private ClientProperties() {}

  static void apply(ClientBuilder<?> builder, String serviceName, Properties properties) {
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
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
}
