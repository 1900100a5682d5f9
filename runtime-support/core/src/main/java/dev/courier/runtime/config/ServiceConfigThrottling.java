package dev.courier.runtime.config;

import static dev.courier.runtime.config.ServiceConfigJson.integer;
import static dev.courier.runtime.config.ServiceConfigJson.number;
import static dev.courier.runtime.config.ServiceConfigJson.refuse;
import static dev.courier.runtime.config.ServiceConfigJson.struct;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/**
 * A service config's {@code retryThrottling} as grpc's own token bucket ({@link
 * BudgetSettings.Tokens}), not an approximation: the same calls get the same retries as from
 * grpc-java. Stateless.
 */
final class ServiceConfigThrottling {
  private static final String PATH = "serviceConfig.retryThrottling";

  private ServiceConfigThrottling() {}

  static BudgetSettings.Tokens map(Value value) {
    Struct t = struct(PATH, value);
    for (String field : t.getFieldsMap().keySet()) {
      if (!field.equals("maxTokens") && !field.equals("tokenRatio")) {
        throw refuse(PATH + "." + field, t.getFieldsOrThrow(field), "not a field of retryThrottling (expected: maxTokens, tokenRatio)");
      }
    }
    if (!t.containsFields("maxTokens") || !t.containsFields("tokenRatio")) {
      throw refuse(PATH, value, "grpc requires both maxTokens and tokenRatio");
    }
    int maxTokens = integer(PATH + ".maxTokens", t.getFieldsOrThrow("maxTokens"));
    if (maxTokens < 1 || maxTokens > 1000) {
      throw refuse(PATH + ".maxTokens", t.getFieldsOrThrow("maxTokens"), "(expected: 1 to 1000, as grpc requires)");
    }
    double ratio = number(PATH + ".tokenRatio", t.getFieldsOrThrow("tokenRatio"));
    if (!(ratio > 0) || Double.isInfinite(ratio)) {
      throw refuse(PATH + ".tokenRatio", t.getFieldsOrThrow("tokenRatio"), "(expected: > 0, as grpc requires)");
    }
    return new BudgetSettings.Tokens(maxTokens, ratio);
  }
}
