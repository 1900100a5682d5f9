package dev.courier.runtime.config;

import static dev.courier.runtime.config.ServiceConfigJson.list;
import static dev.courier.runtime.config.ServiceConfigJson.refuse;
import static dev.courier.runtime.config.ServiceConfigJson.string;
import static dev.courier.runtime.config.ServiceConfigJson.struct;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.courier.runtime.balance.BalancerKind;
import java.util.List;
import java.util.Locale;

/**
 * A service config's balancer ({@code loadBalancingConfig}'s first entry, else the older {@code
 * loadBalancingPolicy}) as a {@link BalancerKind}: {@code round_robin} is {@code ROUND_ROBIN};
 * {@code pick_first} and every other policy are refused with the reason. Stateless.
 */
final class ServiceConfigBalancer {
  private ServiceConfigBalancer() {}

  /** The balancer {@code root} names, {@code null} when it names none. */
  static BalancerKind map(Struct root) {
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
}
