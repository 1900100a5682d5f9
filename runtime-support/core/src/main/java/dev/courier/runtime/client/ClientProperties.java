package dev.courier.runtime.client;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.internal.Durations;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Run-time overrides read from properties, in the format of the configuration skeleton the
 * plugin writes next to each service ({@code <Service>-config.properties}):
 *
 * <pre>
 * courier.bookstore.Catalog.targets=10.0.0.1:8080,10.0.0.2:8080
 * courier.bookstore.Catalog.timeout=3s                       # every method
 * courier.bookstore.Catalog/GetBook.balancer=LEAST_LOADED    # one method
 * courier.bookstore.Catalog/GetBook.retry.maxAttempts=5
 * </pre>
 *
 * <p>Settings: {@code targets} (service only), {@code balancer}, {@code timeout}, {@code
 * idempotent}, {@code retry.maxAttempts}, {@code retry.initialBackoff}, {@code retry.maxBackoff},
 * {@code retry.multiplier}, {@code retry.jitter}, {@code retry.retryableCodes} (comma-separated
 * status names), {@code hedge.after}, {@code hedge.max}. Durations are written {@code 250ms},
 * {@code 2s}, {@code 1m}. Empty values are ignored; keys of other services are ignored; an unknown
 * setting of this service, or a value that does not parse, fails with the key and what it expects.
 */
final class ClientProperties {
  private static final Set<String> SETTINGS = Set.of(
      "targets", "balancer", "timeout", "idempotent", "retry.maxAttempts", "retry.initialBackoff",
      "retry.maxBackoff", "retry.multiplier", "retry.jitter", "retry.retryableCodes", "hedge.after", "hedge.max");

  private ClientProperties() {}

  static void apply(ClientBuilder<?> builder, String serviceName, Properties properties) {
    String servicePrefix = "courier." + serviceName + ".";
    String methodPrefix = "courier." + serviceName + "/";
    Map<String, String> serviceSettings = new TreeMap<>();
    Map<String, Map<String, String>> methodSettings = new TreeMap<>();
    for (String key : new TreeMap<>(Map.copyOf(properties)).keySet().stream().map(Object::toString).toList()) {
      String value = properties.getProperty(key, "").strip();
      if (value.isEmpty()) {
        continue;
      }
      if (key.startsWith(servicePrefix)) {
        serviceSettings.put(check(key, key.substring(servicePrefix.length())), value);
      } else if (key.startsWith(methodPrefix)) {
        String rest = key.substring(methodPrefix.length());
        int dot = rest.indexOf('.');
        if (dot <= 0) {
          throw new IllegalArgumentException(key + ": (expected: courier." + serviceName + "/<Method>.<setting>)");
        }
        String setting = check(key, rest.substring(dot + 1));
        if (setting.equals("targets")) {
          throw new IllegalArgumentException(key + ": targets are set per service (expected: " + servicePrefix + "targets)");
        }
        methodSettings.computeIfAbsent(rest.substring(0, dot), m -> new TreeMap<>()).put(setting, value);
      }
    }
    String targets = serviceSettings.remove("targets");
    if (targets != null) {
      builder.target(targets);
    }
    if (!serviceSettings.isEmpty()) {
      builder.policy(override(servicePrefix, serviceSettings));
    }
    methodSettings.forEach((method, settings) ->
        builder.policy(method, override(methodPrefix + method + ".", settings)));
  }

  private static String check(String key, String setting) {
    if (!SETTINGS.contains(setting)) {
      throw new IllegalArgumentException(key + ": unknown setting '" + setting + "' (expected one of "
          + new java.util.TreeSet<>(SETTINGS) + ")");
    }
    return setting;
  }

  /** The settings as a policy override; every value is parsed now, so errors surface at configuration. */
  private static UnaryOperator<MethodPolicy.Builder> override(String prefix, Map<String, String> settings) {
    UnaryOperator<MethodPolicy.Builder> result = UnaryOperator.identity();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = prefix + e.getKey();
      String value = e.getValue();
      UnaryOperator<MethodPolicy.Builder> step = switch (e.getKey()) {
        case "balancer" -> {
          BalancerKind kind = parseEnum(key, value);
          yield b -> b.balancer(kind);
        }
        case "timeout" -> {
          Duration d = duration(key, value);
          yield b -> b.timeout(d);
        }
        case "idempotent" -> {
          boolean idempotent = bool(key, value);
          yield b -> b.idempotent(idempotent);
        }
        case "hedge.after" -> {
          Duration d = duration(key, value);
          yield b -> b.hedge(new HedgePolicy(d, b.currentHedge() == null ? 1 : b.currentHedge().maxHedged()));
        }
        case "hedge.max" -> {
          int max = integer(key, value);
          yield b -> {
            if (b.currentHedge() == null) {
              throw new IllegalArgumentException(key + ": no hedging declared (expected: hedge.after as well)");
            }
            return b.hedge(new HedgePolicy(b.currentHedge().hedgeAfter(), max));
          };
        }
        default -> retry(key, e.getKey(), value);
      };
      UnaryOperator<MethodPolicy.Builder> before = result;
      result = b -> step.apply(before.apply(b));
    }
    return result;
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
        for (String code : List.of(value.split(","))) {
          codes.add(parseEnum(key, code.strip(), Status.Code.class));
        }
        yield r -> r.retryableCodes(codes);
      }
      default -> throw new IllegalStateException(setting);
    };
    return b -> b.retry(change.apply(b.currentRetry().toBuilder()).build());
  }

  private static BalancerKind parseEnum(String key, String value) {
    return parseEnum(key, value, BalancerKind.class);
  }

  private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected one of "
          + List.of(type.getEnumConstants()) + ")", e);
    }
  }

  private static boolean bool(String key, String value) {
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: true or false)");
    }
    return Boolean.parseBoolean(value);
  }

  private static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: a whole number)", e);
    }
  }

  private static double number(String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: a number)", e);
    }
  }

  static Duration duration(String key, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: a duration such as 250ms, 2s, 1m)", e);
    }
  }
}
