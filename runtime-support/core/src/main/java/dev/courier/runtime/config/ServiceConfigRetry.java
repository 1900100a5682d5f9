package dev.courier.runtime.config;

import static dev.courier.runtime.config.ServiceConfigJson.codes;
import static dev.courier.runtime.config.ServiceConfigJson.integer;
import static dev.courier.runtime.config.ServiceConfigJson.missing;
import static dev.courier.runtime.config.ServiceConfigJson.number;
import static dev.courier.runtime.config.ServiceConfigJson.positive;
import static dev.courier.runtime.config.ServiceConfigJson.refuse;
import static dev.courier.runtime.config.ServiceConfigJson.value;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.courier.runtime.retry.RetryPolicy;
import java.util.List;
import java.util.Map;

/**
 * A service config's {@code retryPolicy} as a {@link RetryPolicy}: the same fields, full jitter
 * (as grpc), {@code perAttemptRecvTimeout} as {@code perAttemptTimeout}; what grpc requires is
 * required. Stateless.
 */
final class ServiceConfigRetry {
  private static final List<String> REQUIRED = List.of("maxAttempts", "initialBackoff", "maxBackoff",
      "backoffMultiplier", "retryableStatusCodes");

  private ServiceConfigRetry() {}

  static RetryPolicy map(String path, Struct retry) {
    RetryPolicy.Builder b = RetryPolicy.builder().jitter(1.0);
    for (Map.Entry<String, Value> field : retry.getFieldsMap().entrySet()) {
      String key = path + "." + field.getKey();
      try {
        field(b, key, field.getKey(), field.getValue());
      } catch (ConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) { // the builder's own check, in its words
        throw refuse(key, field.getValue(), e.getMessage());
      }
    }
    for (String required : REQUIRED) {
      if (!retry.containsFields(required)) {
        throw missing(path + "." + required, required.equals("retryableStatusCodes")
            ? "grpc requires the codes to retry (expected: [\"UNAVAILABLE\"])" : "grpc requires it in a retryPolicy");
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw refuse(path, value(retry), e.getMessage());
    }
  }

  private static void field(RetryPolicy.Builder b, String key, String name, Value value) {
    switch (name) {
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
      case "retryableStatusCodes" -> b.retryableCodes(codes(key, value));
      case "perAttemptRecvTimeout" -> b.perAttemptTimeout(positive(key, value));
      default -> throw refuse(key, value, "not a field of a retryPolicy (expected one of [maxAttempts,"
          + " initialBackoff, maxBackoff, backoffMultiplier, retryableStatusCodes, perAttemptRecvTimeout])");
    }
  }
}
