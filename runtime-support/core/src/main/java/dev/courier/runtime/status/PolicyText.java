package dev.courier.runtime.status;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A method's declared policy in one short line (the reference page has the long form): {@code idempotent},
 * {@code timeout 2s}, {@code 3 attempts, backoff 50ms..1s}, {@code hedge after 30ms (max 1)},
 * {@code CONSISTENT_HASH}, {@code max 100 concurrent}, {@code queue}.
 */
final class PolicyText {
  private PolicyText() {}

  /**
   * The parts of {@code policy} ({@code null}: not declared) of a method of gRPC type {@code type}
   * ({@code UNARY}, {@code SERVER_STREAMING}, ...): a stream is never retried once it has started,
   * whatever its policy says, as its reference page says too.
   */
  static List<String> of(MethodPolicy policy, String type) {
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
    policy.balancer().ifPresent(b -> parts.add(b.name()));
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
