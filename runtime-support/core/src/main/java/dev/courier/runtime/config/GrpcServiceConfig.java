package dev.courier.runtime.config;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

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
 *       <td>a retry budget: share {@code tokenRatio} per call, and a floor of {@code maxTokens / 2}
 *       retries per window ({@code floorPerSecond} 1, {@code window} ⌈maxTokens / 2⌉ s): grpc allows
 *       retries while more than half its tokens are left</td></tr>
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
  private static final Pattern GRPC_DURATION = Pattern.compile("-?\\d+(\\.\\d{1,9})?s");
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
    Struct root = parse(json);
    for (String field : root.getFieldsMap().keySet()) {
      if (!TOP.contains(field)) {
        throw refuse("serviceConfig." + field, root.getFieldsOrThrow(field),
            "not a field of grpc's service config (expected one of " + new java.util.TreeSet<>(TOP) + ")");
      }
    }
    if (root.containsFields("healthCheckConfig")) {
      throw refuse("serviceConfig.healthCheckConfig", root.getFieldsOrThrow("healthCheckConfig"),
          "Courier clients run no active health checks; passive health ejects failing endpoints"
              + " (expected: remove it, and tune ClientBuilder.passiveHealth if needed)");
    }
    BalancerKind balancer = balancer(root);
    BudgetSettings budget = root.containsFields("retryThrottling")
        ? throttling(root.getFieldsOrThrow("retryThrottling")) : null;
    PolicyOverride service = PolicyOverride.NONE;
    PolicyOverride anyService = PolicyOverride.NONE;
    Map<String, PolicyOverride> methods = new LinkedHashMap<>();
    List<Value> entries = list("serviceConfig.methodConfig", root.getFieldsOrDefault("methodConfig", null));
    for (int i = 0; i < entries.size(); i++) {
      String path = "serviceConfig.methodConfig[" + i + "]";
      Struct entry = struct(path, entries.get(i));
      PolicyOverride settings = methodSettings(path, entry);
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
    return new GrpcServiceConfig(service.isEmpty() ? anyService : service, methods, balancer, budget);
  }

  /** The balancer, when the config names one. */
  public Optional<BalancerKind> balancerIfGiven() {
    return Optional.ofNullable(balancer);
  }

  /** The budget, when the config has {@code retryThrottling}. */
  public Optional<BudgetSettings> budgetIfGiven() {
    return Optional.ofNullable(budget);
  }

  private static Struct parse(String json) {
    Struct.Builder root = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(json, root);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new ConfigException(new ConfigProblem("serviceConfig", abbreviate(json),
          "not a JSON object (" + e.getMessage() + ")"));
    }
    return root.build();
  }

  private static PolicyOverride methodSettings(String path, Struct entry) {
    List<PolicyOverride.Step> steps = new ArrayList<>();
    for (Map.Entry<String, Value> field : entry.getFieldsMap().entrySet()) {
      String key = path + "." + field.getKey();
      Value value = field.getValue();
      switch (field.getKey()) {
        case "name" -> { }
        case "timeout" -> {
          Duration timeout = positive(key, value);
          steps.add(step(key, value, b -> b.timeout(timeout)));
        }
        case "retryPolicy" -> {
          if (entry.containsFields("hedgingPolicy")) {
            throw refuse(key, value, "retryPolicy and hedgingPolicy in one entry (expected: one of them, as grpc requires)");
          }
          RetryPolicy retry = retryPolicy(key, struct(key, value));
          steps.add(step(key, value, b -> b.retry(retry)));
        }
        case "hedgingPolicy" -> steps.add(hedgingPolicy(key, struct(key, value)));
        case "waitForReady" -> {
          if (value.getKindCase() != Value.KindCase.BOOL_VALUE || value.getBoolValue()) {
            throw refuse(key, value, "Courier has no wait-for-ready: a call with no endpoint to reach fails with"
                + " UNAVAILABLE and is retried within its retry policy (expected: remove waitForReady)");
          }
        }
        case "maxRequestMessageBytes", "maxResponseMessageBytes" -> throw refuse(key, value,
            "Courier sets no message size per method (expected: remove it; the channel's limit is set in its"
                + " ChannelFactory)");
        default -> throw refuse(key, value, "not a field of a methodConfig entry Courier maps (expected one of [name,"
            + " timeout, retryPolicy, hedgingPolicy, waitForReady])");
      }
    }
    return steps.isEmpty() ? PolicyOverride.NONE : new PolicyOverride(steps);
  }

  private static RetryPolicy retryPolicy(String path, Struct retry) {
    RetryPolicy.Builder b = RetryPolicy.builder().jitter(1.0);
    boolean codes = false;
    for (Map.Entry<String, Value> field : retry.getFieldsMap().entrySet()) {
      String key = path + "." + field.getKey();
      Value value = field.getValue();
      try {
        switch (field.getKey()) {
          case "maxAttempts" -> {
            int n = integer(key, value);
            if (n < 2) {
              throw refuse(key, value, "grpc requires maxAttempts > 1 in a retryPolicy (expected: 2 or more)");
            }
            b.maxAttempts(n);
          }
          case "initialBackoff" -> b.initialBackoff(positive(key, value));
          case "maxBackoff" -> b.maxBackoff(positive(key, value));
          case "backoffMultiplier" -> b.multiplier(number(key, value));
          case "retryableStatusCodes" -> {
            b.retryableCodes(codes(key, value));
            codes = true;
          }
          case "perAttemptRecvTimeout" -> b.perAttemptTimeout(positive(key, value));
          default -> throw refuse(key, value, "not a field of a retryPolicy (expected one of [maxAttempts,"
              + " initialBackoff, maxBackoff, backoffMultiplier, retryableStatusCodes, perAttemptRecvTimeout])");
        }
      } catch (ConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw refuse(key, value, e.getMessage());
      }
    }
    for (String required : List.of("maxAttempts", "initialBackoff", "maxBackoff", "backoffMultiplier")) {
      if (!retry.containsFields(required)) {
        throw refuse(path + "." + required, Value.getDefaultInstance(), "missing: grpc requires it in a retryPolicy");
      }
    }
    if (!codes) {
      throw refuse(path + ".retryableStatusCodes", Value.getDefaultInstance(),
          "missing: grpc requires the codes to retry (expected: [\"UNAVAILABLE\"])");
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw refuse(path, Value.newBuilder().setStructValue(retry).build(), e.getMessage());
    }
  }

  private static PolicyOverride.Step hedgingPolicy(String path, Struct hedging) {
    Integer max = null;
    Duration after = Duration.ZERO;
    Set<Status.Code> codes = Set.of();
    for (Map.Entry<String, Value> field : hedging.getFieldsMap().entrySet()) {
      String key = path + "." + field.getKey();
      Value value = field.getValue();
      switch (field.getKey()) {
        case "maxAttempts" -> {
          max = integer(key, value);
          if (max < 2) {
            throw refuse(key, value, "grpc requires maxAttempts > 1 in a hedgingPolicy (expected: 2 or more)");
          }
        }
        case "hedgingDelay" -> after = duration(key, value);
        case "nonFatalStatusCodes" -> codes = codes(key, value);
        default -> throw refuse(key, value, "not a field of a hedgingPolicy (expected one of [maxAttempts,"
            + " hedgingDelay, nonFatalStatusCodes])");
      }
    }
    if (max == null) {
      throw refuse(path + ".maxAttempts", Value.getDefaultInstance(), "missing: grpc requires it in a hedgingPolicy");
    }
    if (after.isZero()) {
      throw refuse(path + ".hedgingDelay", hedging.getFieldsOrDefault("hedgingDelay", Value.getDefaultInstance()),
          "Courier starts a hedge only after a delay; a delay of 0 (grpc's default) would send every attempt at"
              + " once (expected: a positive delay, such as \"0.02s\")");
    }
    HedgePolicy hedge = new HedgePolicy(after, max - 1);
    Set<Status.Code> nonFatal = codes;
    return step(path, Value.newBuilder().setStructValue(hedging).build(), b -> {
      MethodPolicy.Builder hedged = b.hedge(hedge);
      return nonFatal.isEmpty() ? hedged : hedged.retry(b.currentRetry().toBuilder().retryableCodes(nonFatal).build());
    });
  }

  private static BalancerKind balancer(Struct root) {
    if (root.containsFields("loadBalancingConfig")) {
      List<Value> configs = list("serviceConfig.loadBalancingConfig", root.getFieldsOrThrow("loadBalancingConfig"));
      if (configs.isEmpty()) {
        return null;
      }
      Struct first = struct("serviceConfig.loadBalancingConfig[0]", configs.get(0));
      if (first.getFieldsCount() != 1) {
        throw refuse("serviceConfig.loadBalancingConfig[0]", configs.get(0), "one policy per entry (expected: {\"round_robin\": {}})");
      }
      String name = first.getFieldsMap().keySet().iterator().next();
      return policy("serviceConfig.loadBalancingConfig[0]." + name, configs.get(0), name);
    }
    if (root.containsFields("loadBalancingPolicy")) {
      Value value = root.getFieldsOrThrow("loadBalancingPolicy");
      return policy("serviceConfig.loadBalancingPolicy", value, string("serviceConfig.loadBalancingPolicy", value)
          .toLowerCase(Locale.ROOT));
    }
    return null;
  }

  private static BalancerKind policy(String key, Value value, String name) {
    return switch (name) {
      case "round_robin" -> BalancerKind.ROUND_ROBIN;
      case "pick_first" -> throw refuse(key, value, "Courier has no pick_first: it balances every call over the"
          + " endpoints, with passive health instead of one connection kept until it fails (expected: round_robin,"
          + " or leave the balancer to ClientBuilder.balancer)");
      default -> throw refuse(key, value, "a load-balancing policy Courier has no equivalent for (expected:"
          + " round_robin; Courier's other balancers are set with ClientBuilder.balancer)");
    };
  }

  private static BudgetSettings throttling(Value value) {
    String path = "serviceConfig.retryThrottling";
    Struct t = struct(path, value);
    for (String field : t.getFieldsMap().keySet()) {
      if (!field.equals("maxTokens") && !field.equals("tokenRatio")) {
        throw refuse(path + "." + field, t.getFieldsOrThrow(field), "not a field of retryThrottling (expected: maxTokens, tokenRatio)");
      }
    }
    if (!t.containsFields("maxTokens") || !t.containsFields("tokenRatio")) {
      throw refuse(path, value, "grpc requires both maxTokens and tokenRatio");
    }
    int maxTokens = integer(path + ".maxTokens", t.getFieldsOrThrow("maxTokens"));
    if (maxTokens < 1 || maxTokens > 1000) {
      throw refuse(path + ".maxTokens", t.getFieldsOrThrow("maxTokens"), "(expected: 1 to 1000, as grpc requires)");
    }
    double ratio = number(path + ".tokenRatio", t.getFieldsOrThrow("tokenRatio"));
    if (!(ratio > 0)) {
      throw refuse(path + ".tokenRatio", t.getFieldsOrThrow("tokenRatio"), "(expected: > 0, as grpc requires)");
    }
    return new BudgetSettings(ratio, 1, Duration.ofSeconds(Math.max(1, (maxTokens + 1) / 2)));
  }

  private static Set<Status.Code> codes(String key, Value value) {
    Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
    for (Value code : list(key, value)) {
      Status.Code c;
      if (code.getKindCase() == Value.KindCase.NUMBER_VALUE) {
        int n = (int) code.getNumberValue();
        if (n != code.getNumberValue() || n < 0 || n >= Status.Code.values().length) {
          throw refuse(key, value, "not a status code: " + text(code));
        }
        c = Status.Code.values()[n];
      } else {
        try {
          c = Status.Code.valueOf(string(key, code).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw refuse(key, value, "not a status code: " + text(code) + " (expected names such as \"UNAVAILABLE\")");
        }
      }
      if (c == Status.Code.OK) {
        throw refuse(key, value, "OK is not a failure (expected: status codes other than OK)");
      }
      codes.add(c);
    }
    if (codes.isEmpty()) {
      throw refuse(key, value, "no status codes (expected: at least one, such as [\"UNAVAILABLE\"])");
    }
    return codes;
  }

  /** grpc's JSON durations: decimal seconds with an {@code s}, {@code "0.05s"}, {@code "2s"}. */
  private static Duration duration(String key, Value value) {
    String text = string(key, value);
    if (!GRPC_DURATION.matcher(text).matches() || text.startsWith("-")) {
      throw refuse(key, value, "not a grpc duration (expected: seconds with an s, such as \"0.05s\" or \"2s\")");
    }
    BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
    return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
  }

  private static Duration positive(String key, Value value) {
    Duration d = duration(key, value);
    if (d.isZero()) {
      throw refuse(key, value, "(expected: > 0s)");
    }
    return d;
  }

  private static PolicyOverride.Step step(String key, Value value, UnaryOperator<MethodPolicy.Builder> change) {
    return new PolicyOverride.Step(key, text(value), change);
  }

  private static int integer(String key, Value value) {
    double d = number(key, value);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw refuse(key, value, "not a whole number");
    }
    return (int) d;
  }

  private static double number(String key, Value value) {
    if (value.getKindCase() == Value.KindCase.NUMBER_VALUE) {
      return value.getNumberValue();
    }
    if (value.getKindCase() == Value.KindCase.STRING_VALUE) { // grpc-java takes numbers in strings too
      try {
        return Double.parseDouble(value.getStringValue());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw refuse(key, value, "not a number");
  }

  private static String string(String key, Value value) {
    if (value.getKindCase() != Value.KindCase.STRING_VALUE) {
      throw refuse(key, value, "not a string");
    }
    return value.getStringValue();
  }

  private static String optionalString(String key, Struct struct, String field) {
    Value value = struct.getFieldsOrDefault(field, null);
    return value == null || value.getKindCase() == Value.KindCase.NULL_VALUE ? null : string(key, value);
  }

  private static Struct struct(String key, Value value) {
    if (value.getKindCase() != Value.KindCase.STRUCT_VALUE) {
      throw refuse(key, value, "not an object");
    }
    return value.getStructValue();
  }

  private static List<Value> list(String key, Value value) {
    if (value == null) {
      return List.of();
    }
    if (value.getKindCase() != Value.KindCase.LIST_VALUE) {
      throw refuse(key, value, "not a list");
    }
    return value.getListValue().getValuesList();
  }

  /** Refuses {@code key}: the message names it, its value (when it has one) and the reason. */
  private static ConfigException refuse(String key, Value value, String reason) {
    ConfigProblem problem = new ConfigProblem(key, text(value), reason);
    return new ConfigException(problem.value().isEmpty() ? key + ": " + reason : problem.toString(), problem);
  }

  /** The value as compact JSON, for messages. */
  private static String text(Value value) {
    if (value.getKindCase() == Value.KindCase.KIND_NOT_SET) {
      return "";
    }
    try {
      return abbreviate(JsonFormat.printer().omittingInsignificantWhitespace().print(value));
    } catch (InvalidProtocolBufferException e) {
      return value.toString();
    }
  }

  private static String abbreviate(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
  }
}
