package dev.courier.runtime.config;

import dev.courier.runtime.MethodPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The rules the build checks on a method's policy (the plugin's {@code PolicyReader}), checked again
 * on a policy made at run time, so that live configuration and {@code ClientBuilder.serviceConfig}
 * are refused for what the build would refuse:
 * <ul>
 *   <li>retryable codes on a method that is not idempotent: with these statuses the request may
 *       already have been processed, so a retry could run it twice;
 *   <li>hedging on a method that is not idempotent (also refused by {@link MethodPolicy.Builder#build}).
 * </ul>
 * The value checks (a positive timeout, {@code maxBackoff >= initialBackoff}, ...) are made by the
 * policy builders themselves. Stateless.
 */
public final class PolicyRules {
  private PolicyRules() {}

  /** What is wrong with {@code policy} of {@code fullMethodName}, each as one sentence; empty when nothing. */
  public static List<String> violations(String fullMethodName, MethodPolicy policy) {
    List<String> found = new ArrayList<>();
    if (!policy.idempotent() && !policy.retry().retryableCodes().isEmpty()) {
      found.add(fullMethodName + ": retry.retryableCodes " + new TreeSet<>(policy.retry().retryableCodes())
          + " on a method that is not idempotent: with these statuses the request may already have been"
          + " processed, so a retry could run it twice. Declare idempotent: true if running it twice is safe,"
          + " or remove retryableCodes (a non-idempotent call is still retried when the request surely never"
          + " reached a server)");
    }
    if (!policy.idempotent() && policy.hedge().isPresent()) {
      found.add(fullMethodName + ": hedge on a method that is not idempotent: hedged attempts run the request"
          + " more than once. Declare idempotent: true if that is safe, or remove hedge");
    }
    return found;
  }
}
