package dev.courier.runtime.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.MethodPolicy;
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
    assertThat(PolicyText.of(RETRIED, "UNARY")).containsExactly("idempotent", "timeout 1500ms",
        retry.maxAttempts() + " attempts, backoff " + PolicyText.duration(retry.initialBackoff()) + ".."
            + PolicyText.duration(retry.maxBackoff()));
    assertThat(PolicyText.of(RETRIED, "SERVER_STREAMING")).containsExactly("idempotent", "timeout 1500ms",
        "not retried (a stream)");
    assertThat(PolicyText.of(RETRIED.toBuilder().retry(RetryPolicy.NONE).build(), "UNARY")).contains("no retries");
    assertThat(PolicyText.of(null, "UNARY")).containsExactly("not declared");
  }
}
