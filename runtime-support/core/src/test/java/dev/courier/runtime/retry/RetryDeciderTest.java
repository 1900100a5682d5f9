package dev.courier.runtime.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.runtime.retry.RetryDecider.History;
import dev.courier.runtime.retry.RetryDecider.Retry;
import dev.courier.runtime.retry.RetryDecider.Stop;
import io.grpc.Status.Code;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The retry rule as a pure function of policy, history, budget and clock readings. */
class RetryDeciderTest {
  private static final long MS = 1_000_000L;
  private static final long NOW = 5_000 * MS;
  private static final long NONE = RetryDecider.NO_DEADLINE;
  /** 100 ms doubling to 1 s, no jitter, three attempts. */
  private static final RetryPolicy EXACT = RetryPolicy.builder().maxAttempts(3)
      .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).multiplier(2.0).jitter(0.0).build();

  private final AtomicLong clock = new AtomicLong(NOW);

  private RetryDecider decider(RetryPolicy policy, boolean idempotent) {
    return RetryDecider.of(policy, idempotent, null, RetryBudget.unlimited(), BackoffTest.fixed(0.5));
  }

  private RetryDecider decider(RetryPolicy policy, RetryBudget budget) {
    return RetryDecider.of(policy, true, null, budget, BackoffTest.fixed(0.5));
  }

  /** The failed attempt number {@code attempts} of a call, which reached a server. */
  private static History failed(int attempts, Code code) {
    return new History(attempts, 0, 0, false, true, code, false);
  }

  private static History neverReached(int attempts, int uncounted, boolean untriedLeft) {
    return new History(attempts, 0, uncounted, true, untriedLeft, Code.UNAVAILABLE, false);
  }

  private static Stop stop(StopReason reason) {
    return new Stop(reason);
  }

  @Test
  void aRetryWaitsTheBackoffOfItsRetryNumber() {
    RetryDecider d = decider(EXACT, true);
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(new Retry(100 * MS));
    assertThat(d.afterFailure(failed(2, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(new Retry(200 * MS));
  }

  @Test
  void jitterIsDrawnFromTheGivenRandomness() {
    RetryPolicy fullJitter = EXACT.toBuilder().jitter(1.0).build();
    assertThat(decider(fullJitter, true).afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE))
        .isEqualTo(new Retry(50 * MS));
  }

  @Test
  void zeroBackoffRetriesAtOnce() {
    RetryPolicy zero = EXACT.toBuilder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build();
    assertThat(decider(zero, true).afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(new Retry(0));
  }

  @Test
  void aCancelledCallStopsBeforeEveryOtherRule() {
    History cancelled = new History(3, 0, 0, false, false, Code.DEADLINE_EXCEEDED, true);
    assertThat(decider(EXACT, false).afterFailure(cancelled, NOW, NOW)).isEqualTo(stop(StopReason.CANCELLED));
  }

  @Test
  void anAttemptDeadlineExceededWhenTheCallDeadlineIsOverStopsByDeadlineEvenIfNotRetryable() {
    assertThat(decider(EXACT, false).afterFailure(failed(1, Code.DEADLINE_EXCEEDED), NOW, NOW))
        .isEqualTo(stop(StopReason.DEADLINE));
  }

  @Test
  void aPerAttemptDeadlineExceededIsRetriedForAnIdempotentMethodWhileTheCallHasTime() {
    assertThat(decider(EXACT, true).afterFailure(failed(1, Code.DEADLINE_EXCEEDED), NOW, NOW + 1_000 * MS))
        .isEqualTo(new Retry(100 * MS));
  }

  @Test
  void aNonIdempotentFailureThatReachedAServerIsNotRetryableAndMayHaveRun() {
    RetryDecider d = decider(EXACT, false);
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.NOT_RETRYABLE));
    assertThat(d.mayHaveRun(StopReason.NOT_RETRYABLE, false)).isTrue();
    assertThat(d.mayHaveRun(StopReason.MAX_ATTEMPTS, false)).isFalse();
  }

  @Test
  void aNonIdempotentFailureThatNeverReachedAServerIsRetriedAndDidNotRun() {
    RetryDecider d = decider(EXACT, false);
    assertThat(d.afterFailure(neverReached(1, 0, false), NOW, NONE)).isEqualTo(new Retry(100 * MS));
    assertThat(d.mayHaveRun(StopReason.NOT_RETRYABLE, true)).isFalse();
  }

  @Test
  void anIdempotentMethodDoesNotMayHaveRunAnything() {
    assertThat(decider(EXACT, true).mayHaveRun(StopReason.NOT_RETRYABLE, false)).isFalse();
  }

  @Test
  void aCodeThatIsNotRetryableStopsWithAttemptsLeft() {
    assertThat(decider(EXACT, true).afterFailure(failed(1, Code.INVALID_ARGUMENT), NOW, NONE))
        .isEqualTo(stop(StopReason.NOT_RETRYABLE));
  }

  @Test
  void retriesStopAtMaxAttempts() {
    RetryDecider d = decider(EXACT, true);
    assertThat(d.afterFailure(failed(2, Code.UNAVAILABLE), NOW, NONE)).isInstanceOf(Retry.class);
    assertThat(d.afterFailure(failed(3, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.MAX_ATTEMPTS));
  }

  @Test
  void hedgesDoNotCountAgainstMaxAttempts() {
    History withHedge = new History(3, 1, 0, false, true, Code.UNAVAILABLE, false);
    assertThat(decider(EXACT, true).afterFailure(withHedge, NOW, NONE)).isEqualTo(new Retry(400 * MS));
  }

  @Test
  void anAttemptThatNeverReachedAServerIsUncountedWhileUntriedEndpointsRemain() {
    RetryDecider d = decider(EXACT.toBuilder().maxAttempts(2).build(), true);
    assertThat(d.isUncounted(neverReached(2, 0, true))).isTrue();
    assertThat(d.afterFailure(neverReached(2, 0, true), NOW, NONE)).isInstanceOf(Retry.class);
    assertThat(d.isUncounted(neverReached(2, 0, false))).isFalse();
    assertThat(d.afterFailure(neverReached(2, 0, false), NOW, NONE)).isEqualTo(stop(StopReason.MAX_ATTEMPTS));
  }

  @Test
  void earlierUncountedAttemptsAreLeftOutOfTheCount() {
    RetryDecider d = decider(EXACT.toBuilder().maxAttempts(2).build(), true);
    assertThat(d.afterFailure(failed(2, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.MAX_ATTEMPTS));
    History afterOneUncounted = new History(2, 0, 1, false, true, Code.UNAVAILABLE, false);
    assertThat(d.afterFailure(afterOneUncounted, NOW, NONE)).isInstanceOf(Retry.class);
    History afterTwoUncounted = new History(4, 0, 2, false, false, Code.UNAVAILABLE, false);
    assertThat(d.afterFailure(afterTwoUncounted, NOW, NONE)).isEqualTo(stop(StopReason.MAX_ATTEMPTS));
  }

  @Test
  void anAttemptThatNeverReachedAServerCountsWhenThePolicyAllowsOneAttempt() {
    RetryDecider d = decider(RetryPolicy.NONE, true);
    assertThat(d.isUncounted(neverReached(1, 0, true))).isFalse();
    assertThat(d.afterFailure(neverReached(1, 0, true), NOW, NONE)).isEqualTo(stop(StopReason.MAX_ATTEMPTS));
  }

  @Test
  void retriesStopWhenTheDeadlineIsWithinTheSlack() {
    RetryDecider d = decider(EXACT, true);
    long slack = RetryDecider.DEADLINE_SLACK_NANOS;
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NOW + slack)).isEqualTo(stop(StopReason.DEADLINE));
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NOW - 1)).isEqualTo(stop(StopReason.DEADLINE));
  }

  @Test
  void maxAttemptsIsReportedBeforeAnOverDeadline() {
    assertThat(decider(EXACT, true).afterFailure(failed(3, Code.UNAVAILABLE), NOW, NOW))
        .isEqualTo(stop(StopReason.MAX_ATTEMPTS));
  }

  @Test
  void aRetryWhoseBackoffWouldEndWithinTheSlackOfTheDeadlineIsNotMade() {
    RetryDecider d = decider(EXACT, true);
    long slack = RetryDecider.DEADLINE_SLACK_NANOS;
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NOW + 100 * MS + slack))
        .isEqualTo(stop(StopReason.DEADLINE));
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NOW + 100 * MS + slack + 1))
        .isEqualTo(new Retry(100 * MS));
  }

  @Test
  void aCallWithoutDeadlineNeverStopsByDeadline() {
    RetryPolicy slow = EXACT.toBuilder().maxAttempts(100).initialBackoff(Duration.ofDays(1))
        .maxBackoff(Duration.ofDays(1)).build();
    assertThat(decider(slow, true).afterFailure(failed(50, Code.DEADLINE_EXCEEDED), Long.MAX_VALUE - 1, NONE))
        .isEqualTo(new Retry(Duration.ofDays(1).toNanos()));
  }

  @Test
  void retriesStopWhenBudgetIsSpent() {
    RetryDecider d = decider(EXACT, RetryBudget.of(0.0, 0, Duration.ofSeconds(10), clock::get));
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.BUDGET));
  }

  @Test
  void aRetrySpendsOneRetryOfTheBudget() {
    RetryDecider d = decider(EXACT, RetryBudget.of(0.0, 1, Duration.ofSeconds(1), clock::get));
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isInstanceOf(Retry.class);
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.BUDGET));
  }

  @Test
  void theBudgetIsNotSpentWhenAnotherRuleStopsTheCall() {
    RetryDecider d = decider(EXACT, RetryBudget.of(0.0, 1, Duration.ofSeconds(1), clock::get));
    assertThat(d.afterFailure(failed(1, Code.INVALID_ARGUMENT), NOW, NONE)).isEqualTo(stop(StopReason.NOT_RETRYABLE));
    assertThat(d.afterFailure(failed(3, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.MAX_ATTEMPTS));
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NOW)).isEqualTo(stop(StopReason.DEADLINE));
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isInstanceOf(Retry.class);
  }

  @Test
  void callsEarnBudgetThroughTheDecider() {
    RetryDecider d = decider(EXACT, RetryBudget.of(1.0, 0, Duration.ofSeconds(1), clock::get));
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.BUDGET));
    d.onCall();
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isInstanceOf(Retry.class);
  }

  @Test
  void beforeAnAttemptACancelledCallOrAPassedDeadlineStopsIt() {
    RetryDecider d = decider(EXACT, true);
    assertThat(d.beforeAttempt(true, NOW, NONE)).contains(StopReason.CANCELLED);
    assertThat(d.beforeAttempt(true, NOW, NOW - 1)).contains(StopReason.CANCELLED);
    assertThat(d.beforeAttempt(false, NOW, NOW)).contains(StopReason.DEADLINE);
    assertThat(d.beforeAttempt(false, NOW, NOW + 1)).isEmpty();
    assertThat(d.beforeAttempt(false, NOW, NONE)).isEmpty();
  }

  @Test
  void anAttemptMayRunWhatIsLeftOfTheDeadlineCappedByThePerAttemptTimeout() {
    RetryDecider plain = decider(EXACT, true);
    assertThat(plain.attemptTimeoutNanos(NOW, NONE)).isEqualTo(Long.MAX_VALUE);
    assertThat(plain.attemptTimeoutNanos(NOW, NOW + 300 * MS)).isEqualTo(300 * MS);
    RetryDecider perAttempt = decider(EXACT.toBuilder().perAttemptTimeout(Duration.ofMillis(100)).build(), true);
    assertThat(perAttempt.attemptTimeoutNanos(NOW, NONE)).isEqualTo(100 * MS);
    assertThat(perAttempt.attemptTimeoutNanos(NOW, NOW + 300 * MS)).isEqualTo(100 * MS);
    assertThat(perAttempt.attemptTimeoutNanos(NOW, NOW + 60 * MS)).isEqualTo(60 * MS);
  }

  @Test
  void anAdaptiveHedgeWaitsForTheMethodsRecentLatencyAtItsPercentile() {
    RetryDecider d = RetryDecider.of(EXACT, true, HedgePolicy.atPercentile(95, 1), RetryBudget.unlimited(),
        BackoffTest.fixed(0.5));
    assertThat(d.hedgeDelayNanos(NOW)).as("nothing known: the ceiling").isEqualTo(1_000 * MS);
    for (int i = 0; i < 100; i++) {
      d.onAnswer(NOW, i < 95 ? 2 * MS : 40 * MS);
    }
    long p95 = d.hedgeDelayNanos(NOW + LatencyWindow.REFRESH_NANOS);
    assertThat(p95).as("95 of 100 calls took 2 ms").isBetween(2 * MS, 2 * MS + MS / 4);
    for (int i = 0; i < 100; i++) {
      d.onAnswer(NOW + 2 * LatencyWindow.REFRESH_NANOS, 5_000 * MS);
    }
    assertThat(d.hedgeDelayNanos(NOW + 3 * LatencyWindow.REFRESH_NANOS)).as("never above the ceiling")
        .isEqualTo(1_000 * MS);
  }

  @Test
  void aFixedHedgeKeepsItsDelayWhateverTheLatencies() {
    RetryDecider d = RetryDecider.of(EXACT, true, new HedgePolicy(Duration.ofMillis(20), 1), RetryBudget.unlimited(),
        BackoffTest.fixed(0.5));
    for (int i = 0; i < 100; i++) {
      d.onAnswer(NOW, MS);
    }
    assertThat(d.hedgeDelayNanos(NOW + LatencyWindow.REFRESH_NANOS)).isEqualTo(20 * MS);
  }

  @Test
  void anAdaptiveHedgeIsBoundByTheBudgetLikeAFixedOne() {
    RetryBudget budget = RetryBudget.of(0.1, 0, Duration.ofSeconds(10), () -> NOW);
    RetryDecider d = RetryDecider.of(EXACT, true, HedgePolicy.atPercentile(95, 1), budget, BackoffTest.fixed(0.5));
    assertThat(d.trySpendOnHedge()).as("no call has earned a hedge").isFalse();
    for (int i = 0; i < 10; i++) {
      d.onCall();
    }
    assertThat(d.trySpendOnHedge()).as("10 calls earn one hedge at 10%").isTrue();
    assertThat(d.trySpendOnHedge()).isFalse();
    assertThat(d.mayHedge(1, 2)).as("max_hedged 1").isFalse();
  }

  @Test
  void aProbeOfAnIdempotentCallGetsHalfOfWhatIsLeftOfTheDeadline() {
    RetryDecider idempotent = decider(EXACT, true);
    assertThat(idempotent.attemptTimeoutNanos(NOW, NOW + 200 * MS, true)).isEqualTo(100 * MS);
    assertThat(idempotent.attemptTimeoutNanos(NOW, NOW + 200 * MS, false)).isEqualTo(200 * MS);
    assertThat(idempotent.attemptTimeoutNanos(NOW, NONE, true)).as("no deadline: no limit").isEqualTo(Long.MAX_VALUE);
    assertThat(decider(EXACT, false).attemptTimeoutNanos(NOW, NOW + 200 * MS, true))
        .as("not idempotent: it could not go elsewhere").isEqualTo(200 * MS);
    assertThat(decider(EXACT.toBuilder().maxAttempts(1).build(), true).attemptTimeoutNanos(NOW, NOW + 200 * MS, true))
        .as("no retries").isEqualTo(200 * MS);
  }

  @Test
  void hedgesStopAtMaxHedgedAndAtMaxAttemptsPlusMaxHedgedStarted() {
    RetryDecider d = RetryDecider.of(EXACT, true, new HedgePolicy(Duration.ofMillis(20), 2),
        RetryBudget.unlimited(), BackoffTest.fixed(0.5));
    assertThat(d.hedges()).isTrue();
    assertThat(d.hedgeDelayNanos(0)).isEqualTo(20 * MS);
    assertThat(d.mayHedge(0, 1)).isTrue();
    assertThat(d.mayHedge(1, 4)).isTrue();
    assertThat(d.mayHedge(2, 3)).isFalse();
    assertThat(d.mayHedge(1, 5)).isFalse();
    assertThat(d.hedgesLeft(1)).isTrue();
    assertThat(d.hedgesLeft(2)).isFalse();
  }

  @Test
  void aMethodThatIsNotIdempotentNeverHedges() {
    RetryDecider d = RetryDecider.of(EXACT, false, new HedgePolicy(Duration.ofMillis(20), 2),
        RetryBudget.unlimited(), BackoffTest.fixed(0.5));
    assertThat(d.hedges()).isFalse();
    assertThat(d.mayHedge(0, 1)).isFalse();
    assertThat(d.hedgesLeft(0)).isFalse();
  }

  @Test
  void hedgesSpendTheBudget() {
    RetryDecider d = RetryDecider.of(EXACT, true, new HedgePolicy(Duration.ofMillis(20), 2),
        RetryBudget.of(0.0, 1, Duration.ofSeconds(1), clock::get), BackoffTest.fixed(0.5));
    assertThat(d.trySpendOnHedge()).isTrue();
    assertThat(d.trySpendOnHedge()).isFalse();
    assertThat(d.afterFailure(failed(1, Code.UNAVAILABLE), NOW, NONE)).isEqualTo(stop(StopReason.BUDGET));
  }

  @Test
  void decisionsRejectImpossibleValues() {
    assertThatThrownBy(() -> new Retry(-1)).hasMessage("delayNanos: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new Stop(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
    assertThatThrownBy(() -> new History(1, 0, 0, false, false, null, false))
        .isInstanceOf(NullPointerException.class).hasMessage("code");
  }

  @Test
  void stopReasonsHaveStableLowerCaseLabels() {
    assertThat(StopReason.values()).extracting(StopReason::label)
        .containsExactly("cancelled", "deadline", "not retryable", "max attempts", "budget");
  }
}
