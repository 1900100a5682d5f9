package dev.courier.runtime.status;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A method's declared policy in one short line (the reference page has the long form): {@code idempotent},
 * {@code timeout 2s}, {@code 3 attempts, backoff 50ms..1s}, {@code hedge after 30ms (max 1)},
 * {@code LEAST_LOADED}, {@code max 100 concurrent}, {@code queue}.
 */
final class PolicyText {
  private PolicyText() {}

  /**
   * The parts of {@code policy} ({@code null}: not declared) of a method of gRPC type {@code type}
   * ({@code UNARY}, {@code SERVER_STREAMING}, ...): a stream is never retried once it has started,
   * whatever its policy says, as its reference page says too. The balancer is the one the method
   * declares, else its default, {@code CONSISTENT_HASH} when it declares a hash key ({@code
   * hashKey}) and {@code LEAST_LOADED} otherwise: what the reference page shows (the plugin's {@code
   * DocModelBuilder} decides it the same way). A client that sets its own balancer for methods that
   * declare none ({@code ClientBuilder.balancer}) uses that instead; neither page can know.
   */
  static List<String> of(MethodPolicy policy, String type, boolean hashKey) {
    if (policy == null) {
      return List.of("not declared");
    }
    List<String> parts = new ArrayList<>();
    parts.add(policy.idempotent() ? "idempotent" : "not idempotent");
    policy.timeout().ifPresent(t -> parts.add("timeout " + duration(t)));
    RetryPolicy retry = policy.retry();
    boolean stream = !"UNARY".equals(type);
    parts.add(stream ? "not retried (a stream)" : retry.maxAttempts() <= 1 ? "no retries"
        : retry.maxAttempts() + " attempts, backoff " + duration(retry.initialBackoff()) + ".."
            + duration(retry.maxBackoff()));
    policy.hedge().ifPresent(h -> parts.add("hedge after " + duration(h.hedgeAfter()) + " (max " + h.maxHedged() + ")"));
    parts.add(policy.balancer()
        .orElse(hashKey ? BalancerKind.CONSISTENT_HASH : BalancerKind.LEAST_LOADED).name());
    if (policy.maxConcurrency() > 0) {
      parts.add("max " + policy.maxConcurrency() + " concurrent");
    }
    if (policy.queue()) {
      parts.add("queue");
    }
    return parts;
  }

  static String duration(Duration d) {
    if (d.toNanos() % 1_000_000_000L == 0) {
      return d.getSeconds() + "s";
    }
    if (d.toNanos() % 1_000_000L == 0) {
      return d.toMillis() + "ms";
    }
    return d.toNanos() / 1000 + "us";
  }
}
