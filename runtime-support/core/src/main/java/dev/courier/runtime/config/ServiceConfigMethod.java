package dev.courier.runtime.config;

import static dev.courier.runtime.config.ServiceConfigJson.positive;
import static dev.courier.runtime.config.ServiceConfigJson.refuse;
import static dev.courier.runtime.config.ServiceConfigJson.struct;
import static dev.courier.runtime.config.ServiceConfigJson.text;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.courier.runtime.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code methodConfig} entry as a {@link PolicyOverride}: {@code timeout},
 * {@code retryPolicy} ({@link ServiceConfigRetry}), {@code hedgingPolicy} ({@link
 * ServiceConfigHedging}); {@code waitForReady: true} and the message sizes are refused with the
 * reason, as is any other field. Stateless.
 */
final class ServiceConfigMethod {
  private ServiceConfigMethod() {}

  static PolicyOverride map(String path, Struct entry) {
    List<PolicyOverride.Step> steps = new ArrayList<>();
    for (Map.Entry<String, Value> field : entry.getFieldsMap().entrySet()) {
      String key = path + "." + field.getKey();
      Value value = field.getValue();
      switch (field.getKey()) {
        case "name" -> { } // read by GrpcServiceConfig
        case "timeout" -> {
          Duration timeout = positive(key, value);
          steps.add(new PolicyOverride.Step(key, text(value), b -> b.timeout(timeout)));
        }
        case "retryPolicy" -> {
          if (entry.containsFields("hedgingPolicy")) {
            throw refuse(key, value, "retryPolicy and hedgingPolicy in one entry (expected: one of them, as grpc requires)");
          }
          RetryPolicy retry = ServiceConfigRetry.map(key, struct(key, value));
          steps.add(new PolicyOverride.Step(key, text(value), b -> b.retry(retry)));
        }
        case "hedgingPolicy" -> steps.add(ServiceConfigHedging.map(key, struct(key, value)));
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
}
