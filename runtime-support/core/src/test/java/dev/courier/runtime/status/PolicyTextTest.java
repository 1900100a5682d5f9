package dev.courier.runtime.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.retry.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link PolicyText}: a declared policy in one line, as the status page shows it. */
class PolicyTextTest {
  private static final MethodPolicy RETRIED = MethodPolicy.builder().idempotent(true)
      .timeout(Duration.ofMillis(1500)).retry(RetryPolicy.DEFAULT).build();

  @Test
  void aUnaryMethodShowsItsRetriesAndAStreamSaysItIsNotRetried() {
    RetryPolicy retry = RetryPolicy.DEFAULT;
    assertThat(PolicyText.of(RETRIED, "UNARY", false)).containsExactly("idempotent", "timeout 1500ms",
        retry.maxAttempts() + " attempts, backoff " + PolicyText.duration(retry.initialBackoff()) + ".."
            + PolicyText.duration(retry.maxBackoff()), "LEAST_LOADED");
    assertThat(PolicyText.of(RETRIED, "SERVER_STREAMING", false)).containsExactly("idempotent", "timeout 1500ms",
        "not retried (a stream)", "LEAST_LOADED");
    assertThat(PolicyText.of(RETRIED.toBuilder().retry(RetryPolicy.NONE).build(), "UNARY", false))
        .contains("no retries");
    assertThat(PolicyText.of(null, "UNARY", false)).containsExactly("not declared");
  }

  /** As the reference page decides it (the plugin's DocModelBuilder): declared, else by the hash key. */
  @Test
  void theBalancerIsTheDeclaredOneElseConsistentHashForAHashKeyElseLeastLoaded() {
    assertThat(PolicyText.of(RETRIED, "UNARY", false)).contains("LEAST_LOADED").doesNotContain("CONSISTENT_HASH");
    assertThat(PolicyText.of(RETRIED, "UNARY", true)).contains("CONSISTENT_HASH").doesNotContain("LEAST_LOADED");
    MethodPolicy roundRobin = RETRIED.toBuilder().balancer(BalancerKind.ROUND_ROBIN).build();
    assertThat(PolicyText.of(roundRobin, "UNARY", true)).contains("ROUND_ROBIN")
        .doesNotContain("CONSISTENT_HASH", "LEAST_LOADED");
    assertThat(PolicyText.of(roundRobin, "BIDI_STREAMING", false)).endsWith("ROUND_ROBIN");
  }
}
