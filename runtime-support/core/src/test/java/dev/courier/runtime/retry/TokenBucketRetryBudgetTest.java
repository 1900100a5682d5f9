package dev.courier.runtime.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** grpc's retry throttling (gRFC A6) as grpc-java counts it, in thousandths of a token. */
class TokenBucketRetryBudgetTest {
  @Test
  void aFailureAllowsARetryOnlyWhileMoreThanHalfTheTokensAreLeftAfterIt() {
    TokenBucketRetryBudget budget = new TokenBucketRetryBudget(10, 0.1);
    List<Boolean> allowed = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      allowed.add(budget.onRetryableFailure());
    }
    // 9, 8, 7, 6 left: above 5; 5 is not above 5; 4, 3 neither
    assertThat(allowed).containsExactly(true, true, true, true, false, false, false);
    assertThat(budget.thousandthsLeft()).isEqualTo(3_000);
  }

  @Test
  void theBucketNeitherGoesBelowEmptyNorAboveFull() {
    TokenBucketRetryBudget budget = new TokenBucketRetryBudget(2, 0.5);
    for (int i = 0; i < 5; i++) {
      budget.onRetryableFailure();
    }
    assertThat(budget.thousandthsLeft()).isZero();
    for (int i = 0; i < 10; i++) {
      budget.onAnswer();
    }
    assertThat(budget.thousandthsLeft()).isEqualTo(2_000);
  }

  @Test
  void theRatioIsTruncatedToThousandthsAsGrpcJavaDoesWithItsFloat() {
    TokenBucketRetryBudget budget = new TokenBucketRetryBudget(10, 0.0015);
    budget.onRetryableFailure();
    budget.onAnswer();
    assertThat(budget.thousandthsLeft()).isEqualTo(9_001);
    assertThat(budget.usage()).isEqualTo("9.001 of 10 tokens left, retries while more than 5 (0.001 back per answer)");
  }

  @Test
  void aHedgeStartsOnlyWhileMoreThanHalfIsLeftAndSpendsNothing() {
    TokenBucketRetryBudget budget = new TokenBucketRetryBudget(4, 1);
    assertThat(budget.tryHedge()).isTrue();
    budget.onRetryableFailure();
    assertThat(budget.tryHedge()).as("3 of 4 left").isTrue();
    budget.onRetryableFailure();
    assertThat(budget.tryHedge()).as("2 of 4 left").isFalse();
    assertThat(budget.thousandthsLeft()).isEqualTo(2_000);
  }

  @Test
  void theDeciderSpendsATokenOnTheLastAttemptsFailureToo() {
    RetryBudget budget = RetryBudget.tokenBucket(10, 0.1);
    RetryDecider decider = RetryDecider.of(RetryPolicy.builder().maxAttempts(3).build(), true, null, budget,
        new SplittableRandom(1));
    List<Integer> attempts = new ArrayList<>();
    for (int call = 0; call < 4; call++) {
      int made = 1;
      while (decider.afterFailure(history(made), 0, RetryDecider.NO_DEADLINE) instanceof RetryDecider.Retry) {
        made++;
      }
      attempts.add(made);
    }
    assertThat(attempts).containsExactly(3, 2, 1, 1);
    assertThat(((TokenBucketRetryBudget) budget).thousandthsLeft()).isEqualTo(3_000);
  }

  @Test
  void aFailureTheDeciderDoesNotRetrySpendsNoToken() {
    RetryBudget budget = RetryBudget.tokenBucket(10, 0.1);
    RetryDecider decider = RetryDecider.of(RetryPolicy.builder().maxAttempts(3).build(), true, null, budget,
        new SplittableRandom(1));
    RetryDecider.History notRetryable = new RetryDecider.History(1, 0, 0, false, false, Status.Code.INVALID_ARGUMENT,
        false);
    assertThat(decider.afterFailure(notRetryable, 0, RetryDecider.NO_DEADLINE)).isInstanceOf(RetryDecider.Stop.class);
    assertThat(((TokenBucketRetryBudget) budget).thousandthsLeft()).isEqualTo(10_000);
  }

  @Test
  void badSettingsAreRefusedNamingThem() {
    assertThatThrownBy(() -> RetryBudget.tokenBucket(0, 0.1)).hasMessage("maxTokens: 0 (expected: 1 to 1000)");
    assertThatThrownBy(() -> RetryBudget.tokenBucket(10, 0)).hasMessage("tokenRatio: 0.0 (expected: > 0)");
  }

  private static RetryDecider.History history(int attempts) {
    return new RetryDecider.History(attempts, 0, 0, false, false, Status.Code.UNAVAILABLE, false);
  }
}
