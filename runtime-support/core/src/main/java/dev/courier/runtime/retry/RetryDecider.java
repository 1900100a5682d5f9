package dev.courier.runtime.retry;

import io.grpc.Status;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The retry rule of one method of one client: whether a failed attempt is retried and after how
 * long, whether a hedge may start, and what stops the call. Every decision is made from the
 * method's policy, the call's {@link History}, the shared {@link RetryBudget} and the clock
 * readings it is given, so a test with a fixed clock and fixed randomness gets exact answers. The
 * one state it holds is for an adaptive {@link HedgePolicy}: the method's recent call latencies
 * ({@link #onAnswer}), which set the hedge delay.
 *
 * <p>After a failed attempt ({@link #afterFailure}), in this order:
 * <ol>
 *   <li>the caller cancelled: {@link StopReason#CANCELLED};
 *   <li>the attempt failed with {@code DEADLINE_EXCEEDED} and the call's deadline is over:
 *       {@link StopReason#DEADLINE};
 *   <li>{@link Retryability#mayRetry} says no: {@link StopReason#NOT_RETRYABLE};
 *   <li>{@link RetryPolicy#maxAttempts()} attempts are counted: {@link StopReason#MAX_ATTEMPTS}.
 *       Hedges are not counted, nor an attempt that surely never reached a server while the call
 *       has endpoints it has not tried (see {@link #isUncounted});
 *   <li>the call's deadline is over, or would be within {@value #DEADLINE_SLACK_NANOS} ns after
 *       the backoff: {@link StopReason#DEADLINE};
 *   <li>the budget refuses a retry: {@link StopReason#BUDGET}. A budget that counts failures (grpc's
 *       token bucket) is told of every counted failure that passed rule 3, before rule 4;
 *   <li>otherwise {@link Retry} after the policy's {@link Backoff} for the retry number
 *       {@code attempts} (every attempt made so far, hedges included).
 * </ol>
 *
 * <p>Immutable and thread-safe, when the budget and randomness it is given are (the client's
 * are). Deadlines are nano-clock instants; {@link #NO_DEADLINE} means none.
 */
public final class RetryDecider {
  /** A deadline this close is as good as over: no attempt could do anything useful in it. */
  public static final long DEADLINE_SLACK_NANOS = 1_000_000L;

  /** The deadline of a call that has none. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final RetryPolicy policy;
  private final boolean idempotent;
  private final HedgePolicy hedge;
  private final Backoff backoff;
  private final RetryBudget budget;
  private final RandomGenerator random;
  /** Recent latencies of successful calls, for an adaptive hedge; {@code null} otherwise. */
  private final LatencyWindow latencies;

  /** What to do after a failed attempt: {@link Retry} or {@link Stop}. */
  public sealed interface Decision permits Retry, Stop {}

  /**
   * Make another attempt after {@code delayNanos} (0: at once).
   *
   * @param delayNanos the backoff; not negative
   */
  public record Retry(long delayNanos) implements Decision {
    public Retry {
      if (delayNanos < 0) {
        throw new IllegalArgumentException("delayNanos: " + delayNanos + " (expected: >= 0)");
      }
    }
  }

  /**
   * Make no further attempt: the call fails with the last attempt's status.
   *
   * @param reason what stopped the call
   */
  public record Stop(StopReason reason) implements Decision {
    public Stop {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A call's attempts so far, as seen when its last attempt failed.
   *
   * @param attempts attempts that ended, the failed one and hedges included
   * @param hedges how many of them were hedges
   * @param uncounted earlier attempts that did not count against maxAttempts (see {@link #isUncounted})
   * @param neverReached whether the failed attempt surely never reached a server
   * @param untriedLeft whether the client has endpoints the call has not tried; only asked when
   *     {@code neverReached}, so a caller may pass {@code false} otherwise
   * @param code the failed attempt's status code
   * @param cancelled whether the caller cancelled the call
   */
  public record History(int attempts, int hedges, int uncounted, boolean neverReached, boolean untriedLeft,
      Status.Code code, boolean cancelled) {
    public History {
      Objects.requireNonNull(code, "code");
    }
  }

  private RetryDecider(RetryPolicy policy, boolean idempotent, HedgePolicy hedge, RetryBudget budget,
      RandomGenerator random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.idempotent = idempotent;
    this.hedge = idempotent ? hedge : null;
    this.backoff = Backoff.of(policy);
    this.budget = Objects.requireNonNull(budget, "budget");
    this.random = Objects.requireNonNull(random, "random");
    this.latencies = this.hedge != null && this.hedge.adaptive()
        ? new LatencyWindow(this.hedge.percentile(), HedgePolicy.WINDOW_SECONDS * 1_000_000_000L) : null;
  }

  /**
   * The rule for a method with {@code policy}, {@code idempotent} or not, and {@code hedge} (ignored
   * unless idempotent; {@code null} for none), spending {@code budget} and drawing jitter from
   * {@code random}.
   */
  public static RetryDecider of(RetryPolicy policy, boolean idempotent, HedgePolicy hedge, RetryBudget budget,
      RandomGenerator random) {
    return new RetryDecider(policy, idempotent, hedge, budget, random);
  }

  /** What stops the call before its next attempt starts at {@code now}, if anything. */
  public Optional<StopReason> beforeAttempt(boolean cancelled, long now, long deadlineAt) {
    if (cancelled) {
      return Optional.of(StopReason.CANCELLED);
    }
    if (deadlineAt != NO_DEADLINE && deadlineAt - now <= 0) {
      return Optional.of(StopReason.DEADLINE);
    }
    return Optional.empty();
  }

  /**
   * How long an attempt starting at {@code now} may run: what is left of the call's deadline,
   * capped by {@link RetryPolicy#perAttemptTimeout()}; {@link Long#MAX_VALUE} for no limit.
   */
  public long attemptTimeoutNanos(long now, long deadlineAt) {
    long remaining = deadlineAt == NO_DEADLINE ? Long.MAX_VALUE : deadlineAt - now;
    long perAttempt = policy.perAttemptTimeout().map(d -> d.toNanos()).orElse(Long.MAX_VALUE);
    return Math.min(remaining, perAttempt);
  }

  /**
   * {@link #attemptTimeoutNanos(long, long)} for an attempt that is the probe of an endpoint back
   * from an ejection ({@code probe}): an idempotent call that may retry gives it at most half of
   * what is left of its deadline, so that when the endpoint still does not answer the call has
   * time to succeed elsewhere. The endpoint's health pays for the probe, not the caller.
   */
  public long attemptTimeoutNanos(long now, long deadlineAt, boolean probe) {
    long timeout = attemptTimeoutNanos(now, deadlineAt);
    if (!probe || !idempotent || policy.maxAttempts() < 2 || deadlineAt == NO_DEADLINE) {
      return timeout;
    }
    return Math.min(timeout, Math.max((deadlineAt - now) / 2, 0));
  }

  /**
   * Whether the failed attempt of {@code history} does not count against maxAttempts: it surely
   * never reached a server (no connection, or a replica going away), so nothing ran and no server
   * was loaded, the policy allows retries at all, and the call still has endpoints it has not
   * tried. Each such attempt tries a new endpoint, so this ends; the budget and the deadline still
   * apply.
   */
  public boolean isUncounted(History history) {
    return history.neverReached() && policy.maxAttempts() > 1 && history.untriedLeft();
  }

  /**
   * Whether to retry after the failed attempt of {@code history} at {@code now}; see the class
   * comment for the order of the rules. A {@link Retry} has spent one retry of the budget.
   */
  public Decision afterFailure(History history, long now, long deadlineAt) {
    if (history.cancelled()) {
      return new Stop(StopReason.CANCELLED);
    }
    boolean deadlineOver = deadlineAt != NO_DEADLINE && deadlineAt - now <= DEADLINE_SLACK_NANOS;
    if (history.code() == Status.Code.DEADLINE_EXCEEDED && deadlineOver) {
      return new Stop(StopReason.DEADLINE);
    }
    if (!Retryability.mayRetry(policy, idempotent, history.code(), history.neverReached())) {
      return new Stop(StopReason.NOT_RETRYABLE);
    }
    // A failure the policy retries is told to the budget even when no attempt is left: grpc's
    // throttle spends a token on it, and the same calls must get the same retries.
    boolean throttled = policy.maxAttempts() > 1 && !isUncounted(history) && !budget.onRetryableFailure();
    int uncounted = history.uncounted() + (isUncounted(history) ? 1 : 0);
    if (history.attempts() - history.hedges() - uncounted >= policy.maxAttempts()) {
      return new Stop(StopReason.MAX_ATTEMPTS);
    }
    if (deadlineOver) {
      return new Stop(StopReason.DEADLINE);
    }
    long delay = backoff.delayNanos(history.attempts(), random);
    if (deadlineAt != NO_DEADLINE && deadlineAt - now - delay <= DEADLINE_SLACK_NANOS) {
      return new Stop(StopReason.DEADLINE);
    }
    if (throttled || !budget.tryRetry()) {
      return new Stop(StopReason.BUDGET);
    }
    return new Retry(delay);
  }

  /**
   * Whether the stop of a call after an attempt that may have reached a server is because the
   * method is not idempotent: the server may have run it, which the caller should be told.
   */
  public boolean mayHaveRun(StopReason reason, boolean neverReached) {
    return reason == StopReason.NOT_RETRYABLE && !neverReached && !idempotent;
  }

  /** Whether calls of this method hedge (an idempotent method with a {@link HedgePolicy}). */
  public boolean hedges() {
    return hedge != null;
  }

  /**
   * The delay before a hedge of a call armed at {@code now}; only when {@link #hedges()}. Fixed, or
   * for an adaptive policy the recent latency at its percentile, at most {@link
   * HedgePolicy#hedgeAfter()} (which it is while too few latencies are known).
   */
  public long hedgeDelayNanos(long now) {
    long ceiling = hedge.hedgeAfter().toNanos();
    if (latencies == null) {
      return ceiling;
    }
    long recent = latencies.valueNanos(now);
    return recent < 0 ? ceiling : Math.min(recent, ceiling);
  }

  /**
   * A call of the method succeeded at {@code now}, {@code callNanos} after it started: the budget
   * is told, and an adaptive hedge delay gets one latency (nothing is kept otherwise).
   */
  public void onAnswer(long now, long callNanos) {
    budget.onAnswer();
    if (latencies != null) {
      latencies.record(now, callNanos);
    }
  }

  /**
   * Whether one more hedge may start, after {@code hedgesMade} hedges and {@code attemptsStarted}
   * attempts in all: fewer than {@link HedgePolicy#maxHedged()} hedges, and fewer than maxAttempts
   * plus maxHedged attempts. Does not ask the budget: see {@link #trySpendOnHedge()}.
   */
  public boolean mayHedge(int hedgesMade, int attemptsStarted) {
    return hedge != null && hedgesMade < hedge.maxHedged()
        && attemptsStarted < policy.maxAttempts() + hedge.maxHedged();
  }

  /** Whether another hedge is left to arm after {@code hedgesMade} hedges. */
  public boolean hedgesLeft(int hedgesMade) {
    return hedge != null && hedgesMade < hedge.maxHedged();
  }

  /** Spends one retry of the budget for a hedge; {@code false} means "do not hedge". */
  public boolean trySpendOnHedge() {
    return budget.tryHedge();
  }

  /** Counts one call in the budget (its first attempt). */
  public void onCall() {
    budget.onCall();
  }

  @Override
  public String toString() {
    return "RetryDecider{" + policy + ", idempotent=" + idempotent + ", hedge=" + hedge + ", " + budget + '}';
  }
}
