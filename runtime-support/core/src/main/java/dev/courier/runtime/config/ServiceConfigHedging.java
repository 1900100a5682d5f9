package dev.courier.runtime.config;

import static dev.courier.runtime.config.ServiceConfigJson.codes;
import static dev.courier.runtime.config.ServiceConfigJson.duration;
import static dev.courier.runtime.config.ServiceConfigJson.integer;
import static dev.courier.runtime.config.ServiceConfigJson.missing;
import static dev.courier.runtime.config.ServiceConfigJson.refuse;
import static dev.courier.runtime.config.ServiceConfigJson.text;
import static dev.courier.runtime.config.ServiceConfigJson.value;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.retry.HedgePolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A service config's {@code hedgingPolicy} as a step of a method's policy: {@code hedge.max} =
 * maxAttempts − 1, {@code hedge.after} = hedgingDelay, and {@code nonFatalStatusCodes} as the
 * codes retried. A delay of 0 (grpc's default) is refused: Courier hedges after a positive delay.
 * Stateless.
 */
final class ServiceConfigHedging {
  private ServiceConfigHedging() {}

  static PolicyOverride.Step map(String path, Struct hedging) {
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
      throw missing(path + ".maxAttempts", "grpc requires it in a hedgingPolicy");
    }
    if (after.isZero()) {
      throw refuse(path + ".hedgingDelay", hedging.getFieldsOrDefault("hedgingDelay", Value.getDefaultInstance()),
          "Courier starts a hedge only after a delay; a delay of 0 (grpc's default) would send every attempt at"
              + " once (expected: a positive delay, such as \"0.02s\")");
    }
    HedgePolicy hedge = new HedgePolicy(after, max - 1);
    Set<Status.Code> nonFatal = codes;
    return new PolicyOverride.Step(path, text(value(hedging)), b -> {
      MethodPolicy.Builder hedged = b.hedge(hedge);
      return nonFatal.isEmpty() ? hedged : hedged.retry(b.currentRetry().toBuilder().retryableCodes(nonFatal).build());
    });
  }
}
