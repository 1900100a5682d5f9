package dev.courier.runtime.config;

import dev.courier.runtime.retry.RetryBudget;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The settings of a client's {@link RetryBudget}: a share of the calls, as live configuration
 * gives it ({@code courier.<service>.budget.share}, {@code .budget.floorPerSecond}, {@code
 * .budget.window}), or grpc's token bucket, as a service config's {@code retryThrottling} gives
 * it. Immutable values, checked as the budgets check them, compared by value (an unchanged
 * setting keeps the budget's counts across live versions).
 */
public sealed interface BudgetSettings permits BudgetSettings.Share, BudgetSettings.Tokens {
  /** Finagle's, and Courier's default: 0.2 per call, 10 per second, over 10 s. */
  Share DEFAULT = new Share(0.2, 10, Duration.ofSeconds(10));

  /** A new budget (counting from zero, or full) with these settings, on {@code nanoClock}. */
  RetryBudget budget(LongSupplier nanoClock);

  /**
   * {@link RetryBudget#of}: a share of the calls.
   *
   * @param share retries allowed per call
   * @param floorPerSecond retries allowed per second whatever the traffic
   * @param window how long calls and retries are counted
   */
  record Share(double share, int floorPerSecond, Duration window) implements BudgetSettings {
    public Share {
      RetryBudget.of(share, floorPerSecond, window, System::nanoTime); // the same checks, the same messages
    }

    @Override
    public RetryBudget budget(LongSupplier nanoClock) {
      return RetryBudget.of(share, floorPerSecond, window, nanoClock);
    }

    Share withShare(double value) {
      return new Share(value, floorPerSecond, window);
    }

    Share withFloorPerSecond(int value) {
      return new Share(share, value, window);
    }

    Share withWindow(Duration value) {
      return new Share(share, floorPerSecond, value);
    }
  }

  /**
   * {@link RetryBudget#tokenBucket}: grpc's retry throttling, counted as grpc-java counts it.
   *
   * @param maxTokens the bucket's size, 1 to 1000
   * @param tokenRatio tokens given back per answer, more than 0
   */
  record Tokens(int maxTokens, double tokenRatio) implements BudgetSettings {
    public Tokens {
      RetryBudget.tokenBucket(maxTokens, tokenRatio); // the same checks, the same messages
    }

    @Override
    public RetryBudget budget(LongSupplier nanoClock) {
      return RetryBudget.tokenBucket(maxTokens, tokenRatio); // tokens do not age
    }
  }
}
