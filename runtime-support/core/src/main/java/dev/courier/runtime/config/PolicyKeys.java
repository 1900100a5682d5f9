package dev.courier.runtime.config;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.internal.Durations;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads the keys of the generated config skeleton ({@code <Service>-config.properties}), for
 * {@code ClientBuilder.configure} and for live configuration alike:
 *
 * <pre>
 * courier.bookstore.Catalog.targets=10.0.0.1:8080,10.0.0.2:8080
 * courier.bookstore.Catalog.timeout=3s                       # every method
 * courier.bookstore.Catalog/GetBook.balancer=LEAST_LOADED    # one method
 * courier.bookstore.Catalog/GetBook.retry.maxAttempts=5
 * </pre>
 *
 * <p>Settings, per service or per method: {@code balancer}, {@code timeout}, {@code idempotent},
 * {@code retry.maxAttempts}, {@code retry.initialBackoff}, {@code retry.maxBackoff}, {@code
 * retry.multiplier}, {@code retry.jitter}, {@code retry.retryableCodes} (comma-separated status
 * names), {@code retry.perAttemptTimeout}, {@code hedge.after}, {@code hedge.max}, {@code
 * maxConcurrency} (servers). Per service only: {@code targets}, and the retry budget ({@link
 * BudgetKeys}): {@code budget.share}, {@code budget.floorPerSecond}, {@code budget.window}, or
 * grpc's token bucket {@code budget.maxTokens} and {@code budget.tokenRatio}. Durations are written {@code 250ms}, {@code 2s},
 * {@code 1m}. Keys of other services are not read here; an unknown setting of this service, or a
 * value that does not parse, is a {@link ConfigProblem} naming the key and what it expects.
 * Stateless.
 */
public final class PolicyKeys {
  /** Every setting of a scope. */
  public static final Set<String> SETTINGS = Set.of(
      "targets", "balancer", "timeout", "idempotent", "retry.maxAttempts", "retry.initialBackoff",
      "retry.maxBackoff", "retry.multiplier", "retry.jitter", "retry.retryableCodes", "retry.perAttemptTimeout",
      "hedge.after", "hedge.max", "maxConcurrency", "budget.share", "budget.floorPerSecond", "budget.window",
      "budget.maxTokens", "budget.tokenRatio");
  private static final Set<String> SERVICE_ONLY = Set.of("targets", "budget.share", "budget.floorPerSecond", "budget.window",
      "budget.maxTokens", "budget.tokenRatio");

  private PolicyKeys() {}

  /** Whether {@code key} is about {@code serviceName}: {@code courier.<service>.} or {@code courier.<service>/}. */
  public static boolean isAbout(String serviceName, String key) {
    String prefix = "courier." + serviceName;
    return key.startsWith(prefix) && key.length() > prefix.length()
        && (key.charAt(prefix.length()) == '.' || key.charAt(prefix.length()) == '/');
  }

  /**
   * What {@code values} say about {@code serviceName}; every key that cannot be read goes to
   * {@code problems} and is left out of the layer.
   */
  public static ServiceLayer read(String serviceName, Map<String, String> values, Consumer<ConfigProblem> problems) {
    String servicePrefix = "courier." + serviceName + ".";
    String methodPrefix = "courier." + serviceName + "/";
    Map<String, String> serviceSettings = new TreeMap<>();
    Map<String, Map<String, String>> methodSettings = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      String key = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue().strip();
      if (value.isEmpty()) {
        continue;
      }
      if (key.startsWith(servicePrefix)) {
        String setting = key.substring(servicePrefix.length());
        if (known(key, value, setting, problems)) {
          serviceSettings.put(setting, value);
        }
      } else if (key.startsWith(methodPrefix)) {
        String rest = key.substring(methodPrefix.length());
        int dot = rest.indexOf('.');
        if (dot <= 0) {
          problems.accept(new ConfigProblem(key, value, "(expected: courier." + serviceName + "/<Method>.<setting>)"));
          continue;
        }
        String setting = rest.substring(dot + 1);
        if (!known(key, value, setting, problems)) {
          continue;
        }
        if (SERVICE_ONLY.contains(setting)) {
          problems.accept(new ConfigProblem(key, value, setting + (setting.equals("targets") ? " are" : " is")
              + " set per service (expected: "
              + servicePrefix + setting + ")"));
          continue;
        }
        methodSettings.computeIfAbsent(serviceName + "/" + rest.substring(0, dot), m -> new TreeMap<>())
            .put(setting, value);
      }
    }
    String targets = serviceSettings.remove("targets");
    BudgetSettings budget = BudgetKeys.read(servicePrefix, serviceSettings, problems);
    PolicyOverride service = override(servicePrefix, serviceSettings, problems);
    Map<String, PolicyOverride> methods = new LinkedHashMap<>();
    methodSettings.forEach((method, settings) -> methods.put(method,
        override(methodPrefix + method.substring(method.indexOf('/') + 1) + ".", settings, problems)));
    return new ServiceLayer(serviceName, targets, service, methods, budget);
  }

  private static boolean known(String key, String value, String setting, Consumer<ConfigProblem> problems) {
    if (SETTINGS.contains(setting)) {
      return true;
    }
    problems.accept(new ConfigProblem(key, value, "unknown setting '" + setting + "' (expected one of "
        + new TreeSet<>(SETTINGS) + ")"));
    return false;
  }

  /** The settings as a policy override; every value is parsed now, so errors surface when read. */
  private static PolicyOverride override(String prefix, Map<String, String> settings, Consumer<ConfigProblem> problems) {
    List<PolicyOverride.Step> steps = new ArrayList<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = prefix + e.getKey();
      try {
        steps.add(new PolicyOverride.Step(key, e.getValue(), step(key, e.getKey(), e.getValue())));
      } catch (ConfigException ex) {
        problems.accept(ex.problem());
      }
    }
    return steps.isEmpty() ? PolicyOverride.NONE : new PolicyOverride(steps);
  }

  private static UnaryOperator<MethodPolicy.Builder> step(String key, String setting, String value) {
    return switch (setting) {
      case "balancer" -> {
        BalancerKind kind = parseEnum(key, value, BalancerKind.class);
        yield b -> b.balancer(kind);
      }
      case "timeout" -> {
        Duration d = positiveDuration(key, value);
        yield b -> b.timeout(d);
      }
      case "idempotent" -> {
        boolean idempotent = bool(key, value);
        yield b -> b.idempotent(idempotent);
      }
      case "maxConcurrency" -> {
        int limit = integer(key, value);
        if (limit < 0) {
          throw problem(key, value, "'" + value + "' (expected: >= 0; 0 means no limit)");
        }
        yield b -> b.maxConcurrency(limit);
      }
      case "hedge.after" -> {
        HedgePolicy after = hedgeAfter(key, value);
        yield b -> b.hedge(after.withMaxHedged(b.currentHedge() == null ? 1 : b.currentHedge().maxHedged()));
      }
      case "hedge.max" -> {
        int max = integer(key, value);
        yield b -> {
          if (b.currentHedge() == null) {
            throw new IllegalArgumentException("no hedging declared (expected: hedge.after as well)");
          }
          return b.hedge(b.currentHedge().withMaxHedged(max));
        };
      }
      default -> retry(key, setting, value);
    };
  }

  private static UnaryOperator<MethodPolicy.Builder> retry(String key, String setting, String value) {
    UnaryOperator<RetryPolicy.Builder> change = switch (setting) {
      case "retry.maxAttempts" -> {
        int n = integer(key, value);
        yield r -> r.maxAttempts(n);
      }
      case "retry.initialBackoff" -> {
        Duration d = duration(key, value);
        yield r -> r.initialBackoff(d);
      }
      case "retry.maxBackoff" -> {
        Duration d = duration(key, value);
        yield r -> r.maxBackoff(d);
      }
      case "retry.perAttemptTimeout" -> {
        Duration d = positiveDuration(key, value);
        yield r -> r.perAttemptTimeout(d);
      }
      case "retry.multiplier" -> {
        double m = number(key, value);
        yield r -> r.multiplier(m);
      }
      case "retry.jitter" -> {
        double j = number(key, value);
        yield r -> r.jitter(j);
      }
      case "retry.retryableCodes" -> {
        Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
        for (String code : value.split(",")) {
          codes.add(parseEnum(key, code.strip(), Status.Code.class));
        }
        if (codes.contains(Status.Code.OK)) {
          throw problem(key, value, "'" + value + "' (expected: status codes other than OK)");
        }
        yield r -> r.retryableCodes(codes);
      }
      default -> throw new IllegalStateException(setting);
    };
    return b -> b.retry(change.apply(b.currentRetry().toBuilder()).build());
  }

  static ConfigException problem(String key, String value, String reason) {
    return new ConfigException(new ConfigProblem(key, value, reason));
  }

  private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw problem(key, value, "'" + value + "' (expected one of " + List.of(type.getEnumConstants()) + ")");
    }
  }

  private static boolean bool(String key, String value) {
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw problem(key, value, "'" + value + "' (expected: true or false)");
    }
    return Boolean.parseBoolean(value);
  }

  static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw problem(key, value, "'" + value + "' (expected: a whole number)");
    }
  }

  static double number(String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw problem(key, value, "'" + value + "' (expected: a number)");
    }
  }

  /** Read as everywhere else in Courier ({@link Durations}); the error names the key. */
  public static Duration duration(String key, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw problem(key, value, "'" + value + "' (expected: a duration such as 250ms, 2s, 1m)");
    }
  }

  /** {@code p95} (adaptive: the method's recent latency at that percentile) or a delay such as {@code 20ms}. */
  private static HedgePolicy hedgeAfter(String key, String value) {
    if (value.startsWith("p") || value.startsWith("P")) {
      double percentile;
      try {
        percentile = Double.parseDouble(value.substring(1));
      } catch (NumberFormatException e) {
        percentile = -1;
      }
      if (!(percentile >= 50 && percentile < 100)) {
        throw problem(key, value, "'" + value + "' (expected: a percentile from p50 to p99.9, such as p95, or a delay"
            + " such as 20ms)");
      }
      return HedgePolicy.atPercentile(percentile, 1);
    }
    return new HedgePolicy(positiveDuration(key, value), 1);
  }

  private static Duration positiveDuration(String key, String value) {
    Duration d = duration(key, value);
    if (d.isZero()) {
      throw problem(key, value, "'" + value + "' (expected: > 0, such as 2s)");
    }
    return d;
  }
}
