package dev.courier.runtime.retry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc's retry throttling (gRFC A6), counted as grpc-java counts it so that the same calls get the
 * same retries: tokens are held in thousandths, start full at {@code maxTokens}; a failed attempt
 * with a retryable status takes one token (never below 0) and allows a retry only if more than
 * half of {@code maxTokens} is left after it; an answer gives {@code tokenRatio} back (rounded down
 * to thousandths, as grpc-java does with its float, never above {@code maxTokens}); a hedge starts
 * only while more than half is left.
 *
 * <p>Thread-safe and lock-free: each change is one compare-and-set, so a decision and the token it
 * spends are one step, as in grpc-java.
 */
final class TokenBucketRetryBudget implements RetryBudget {
  private static final int THOUSANDTHS = 1000;

  private final int maxTokens;
  private final int threshold;
  private final int tokenRatio;
  private final AtomicInteger tokens;

  TokenBucketRetryBudget(int maxTokens, double tokenRatio) {
    if (maxTokens < 1 || maxTokens > 1000) {
      throw new IllegalArgumentException("maxTokens: " + maxTokens + " (expected: 1 to 1000)");
    }
    if (!(tokenRatio > 0) || Double.isInfinite(tokenRatio)) {
      throw new IllegalArgumentException("tokenRatio: " + tokenRatio + " (expected: > 0)");
    }
    this.maxTokens = maxTokens * THOUSANDTHS;
    this.threshold = this.maxTokens / 2;
    // grpc-java keeps the ratio as a float and truncates it to thousandths: the same here, to the unit
    this.tokenRatio = (int) ((float) tokenRatio * THOUSANDTHS);
    this.tokens = new AtomicInteger(this.maxTokens);
  }

  @Override
  public boolean isUnlimited() {
    return false;
  }

  @Override
  public void onCall() {
    // tokens are not counted per call
  }

  @Override
  public boolean onRetryableFailure() {
    while (true) {
      int now = tokens.get();
      if (now == 0) {
        return false;
      }
      int after = now - THOUSANDTHS;
      if (tokens.compareAndSet(now, Math.max(after, 0))) {
        return after > threshold;
      }
    }
  }

  /** The token was spent, and the retry decided, by {@link #onRetryableFailure}. */
  @Override
  public boolean tryRetry() {
    return true;
  }

  @Override
  public boolean tryHedge() {
    return tokens.get() > threshold;
  }

  @Override
  public void onAnswer() {
    while (true) {
      int now = tokens.get();
      if (now == maxTokens || tokens.compareAndSet(now, Math.min(now + tokenRatio, maxTokens))) {
        return;
      }
    }
  }

  /** Tokens left, in thousandths; for tests. */
  int thousandthsLeft() {
    return tokens.get();
  }

  @Override
  public String usage() {
    return tokens(tokens.get()) + " of " + tokens(maxTokens) + " tokens left, retries while more than "
        + tokens(threshold) + " (" + tokens(tokenRatio) + " back per answer)";
  }

  private static String tokens(int thousandths) {
    return java.math.BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString();
  }

  @Override
  public String toString() {
    return "RetryBudget{maxTokens=" + tokens(maxTokens) + ", tokenRatio=" + tokens(tokenRatio) + "}";
  }
}
