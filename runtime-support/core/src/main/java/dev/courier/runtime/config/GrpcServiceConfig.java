package dev.courier.runtime.config;

import static dev.courier.runtime.config.ServiceConfigJson.list;
import static dev.courier.runtime.config.ServiceConfigJson.optionalString;
import static dev.courier.runtime.config.ServiceConfigJson.refuse;
import static dev.courier.runtime.config.ServiceConfigJson.struct;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.courier.runtime.balance.BalancerKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * grpc's service config (the JSON of {@code grpc/service_config/service_config.proto}, as
 * grpc-java's {@code defaultServiceConfig} and DNS TXT records carry it) mapped onto Courier's
 * policies for one service. What Courier has no equivalent for is refused with the path of the
 * field and the reason; nothing is skipped without a word.
 *
 * <table>
 *   <caption>The mapping</caption>
 *   <tr><th>grpc</th><th>Courier</th></tr>
 *   <tr><td>{@code methodConfig[].name} {@code {service, method}} / {@code {service}} / {@code {}}</td>
 *       <td>that method / every method of the service; entries naming other services are for their clients</td></tr>
 *   <tr><td>{@code timeout}</td><td>{@code timeout}: the deadline of the whole call, retries included</td></tr>
 *   <tr><td>{@code retryPolicy}: {@code maxAttempts}, {@code initialBackoff}, {@code maxBackoff},
 *       {@code backoffMultiplier}, {@code retryableStatusCodes}, {@code perAttemptRecvTimeout}</td>
 *       <td>{@code retry.*}, full jitter (as grpc); {@code perAttemptRecvTimeout} is {@code retry.perAttemptTimeout}.
 *       grpc-java caps {@code maxAttempts} at 5; Courier takes it as written</td></tr>
 *   <tr><td>{@code hedgingPolicy}: {@code maxAttempts}, {@code hedgingDelay}, {@code nonFatalStatusCodes}</td>
 *       <td>{@code hedge.max} = maxAttempts − 1, {@code hedge.after}, {@code retry.retryableCodes};
 *       a delay of 0 is refused (Courier hedges after a positive delay)</td></tr>
 *   <tr><td>{@code loadBalancingConfig} (its first entry) or {@code loadBalancingPolicy}</td>
 *       <td>{@code round_robin}: {@code ROUND_ROBIN}; {@code pick_first}: refused; others refused</td></tr>
 *   <tr><td>{@code retryThrottling} {@code {maxTokens, tokenRatio}}</td>
 *       <td>the client's retry budget is grpc's token bucket ({@link BudgetSettings.Tokens}), counted
 *       as grpc-java counts it: the same calls get the same retries</td></tr>
 *   <tr><td>{@code waitForReady: true}, {@code maxRequestMessageBytes}, {@code maxResponseMessageBytes},
 *       {@code healthCheckConfig}, any other field</td><td>refused, with the reason</td></tr>
 * </table>
 *
 * <p>Entries are layered as Courier layers overrides: the service's entry, then the method's,
 * field by field (grpc takes the most specific entry whole; the two differ only when a service's
 * entry sets a field its method's entry leaves out). The rules of {@link PolicyRules} apply to the
 * result, as for every policy: a {@code retryPolicy} on a method that is not idempotent is refused
 * when the method is declared or called. Immutable.
 *
 * @param service the settings for every method of the service ({@code {service}} or {@code {}} entries)
 * @param methods the settings of single methods, by full method name
 * @param balancer the balancer, {@code null} when none is given
 * @param budget the retry budget from {@code retryThrottling}, {@code null} when none is given
 */
public record GrpcServiceConfig(
    PolicyOverride service, Map<String, PolicyOverride> methods, BalancerKind balancer, BudgetSettings budget) {
  private static final Set<String> TOP = Set.of("methodConfig", "loadBalancingConfig", "loadBalancingPolicy",
      "retryThrottling", "healthCheckConfig");

  public GrpcServiceConfig {
    Objects.requireNonNull(service, "service");
    methods = Map.copyOf(methods);
  }

  /**
   * Reads {@code json} for the service {@code serviceName}.
   *
   * @throws ConfigException naming the field ({@code serviceConfig.methodConfig[0].retryPolicy.maxAttempts}),
   *     its value and what to write instead, when the JSON does not parse, a field is malformed, or
   *     a field has no Courier equivalent
   */
  public static GrpcServiceConfig read(String json, String serviceName) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(serviceName, "serviceName");
    Struct root = ServiceConfigJson.parse(json);
    for (String field : root.getFieldsMap().keySet()) {
      if (!TOP.contains(field)) {
        throw refuse("serviceConfig." + field, root.getFieldsOrThrow(field),
            "not a field of grpc's service config (expected one of " + new TreeSet<>(TOP) + ")");
      }
    }
    if (root.containsFields("healthCheckConfig")) {
      throw refuse("serviceConfig.healthCheckConfig", root.getFieldsOrThrow("healthCheckConfig"),
          "Courier clients run no active health checks; passive health ejects failing endpoints"
              + " (expected: remove it, and tune ClientBuilder.passiveHealth if needed)");
    }
    BalancerKind balancer = ServiceConfigBalancer.map(root);
    BudgetSettings budget = root.containsFields("retryThrottling")
        ? ServiceConfigThrottling.map(root.getFieldsOrThrow("retryThrottling")) : null;
    Entries entries = new Entries(serviceName);
    List<Value> configs = list("serviceConfig.methodConfig", root.getFieldsOrDefault("methodConfig", null));
    for (int i = 0; i < configs.size(); i++) {
      String path = "serviceConfig.methodConfig[" + i + "]";
      Struct entry = struct(path, configs.get(i));
      entries.add(path, entry, ServiceConfigMethod.map(path, entry));
    }
    return new GrpcServiceConfig(entries.service.isEmpty() ? entries.anyService : entries.service, entries.methods,
        balancer, budget);
  }

  /** The balancer, when the config names one. */
  public Optional<BalancerKind> balancerIfGiven() {
    return Optional.ofNullable(balancer);
  }

  /** The budget, when the config has {@code retryThrottling}. */
  public Optional<BudgetSettings> budgetIfGiven() {
    return Optional.ofNullable(budget);
  }

  /** The {@code methodConfig} entries for one service, placed by their names as they are read. */
  private static final class Entries {
    private final String serviceName;
    private PolicyOverride service = PolicyOverride.NONE;
    private PolicyOverride anyService = PolicyOverride.NONE;
    private final Map<String, PolicyOverride> methods = new LinkedHashMap<>();

    Entries(String serviceName) {
      this.serviceName = serviceName;
    }

    /** Places {@code settings} for every name of {@code entry}; names of other services are for their clients. */
    void add(String path, Struct entry, PolicyOverride settings) {
      List<Value> names = list(path + ".name", entry.getFieldsOrDefault("name", null));
      if (names.isEmpty()) {
        throw refuse(path + ".name", Value.newBuilder().setListValue(ListValue.getDefaultInstance()).build(),
            "no name: the entry applies to no method (expected: [{\"service\": \"" + serviceName + "\"}])");
      }
      for (int n = 0; n < names.size(); n++) {
        String namePath = path + ".name[" + n + "]";
        Struct name = struct(namePath, names.get(n));
        String svc = optionalString(namePath + ".service", name, "service");
        String method = optionalString(namePath + ".method", name, "method");
        for (String field : name.getFieldsMap().keySet()) {
          if (!field.equals("service") && !field.equals("method")) {
            throw refuse(namePath + "." + field, name.getFieldsOrThrow(field), "not a field of a name (expected: service, method)");
          }
        }
        if (svc == null || svc.isEmpty()) {
          if (method != null && !method.isEmpty()) {
            throw refuse(namePath, names.get(n), "a method without a service (expected: {\"service\": \"" + serviceName
                + "\", \"method\": \"" + method + "\"})");
          }
          anyService = settings;
        } else if (svc.equals(serviceName)) {
          if (method == null || method.isEmpty()) {
            service = settings;
          } else {
            methods.put(serviceName + "/" + method, settings);
          }
        }
      }
    }
  }
}
