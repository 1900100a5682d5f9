package dev.courier.runtime.config;

import dev.courier.runtime.retry.RetryBudget;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The settings of a {@link RetryBudget}, as live configuration gives them ({@code
 * courier.<service>.budget.share}, {@code .budget.floorPerSecond}, {@code .budget.window}) or as a
 * grpc {@code retryThrottling} maps onto them. Immutable; checked as {@link RetryBudget#of} checks.
 *
 * @param share retries allowed per call
 * @param floorPerSecond retries allowed per second whatever the traffic
 * @param window how long calls and retries are counted
 */
public record BudgetSettings(double share, int floorPerSecond, Duration window) {
  /** Finagle's, and Courier's default: 0.2 per call, 10 per second, over 10 s. */
  public static final BudgetSettings DEFAULT = new BudgetSettings(0.2, 10, Duration.ofSeconds(10));

  public BudgetSettings {
    RetryBudget.of(share, floorPerSecond, window, System::nanoTime); // the same checks, the same messages
  }

  /** A new budget (counting from zero) with these settings, on {@code nanoClock}. */
  public RetryBudget budget(LongSupplier nanoClock) {
    return RetryBudget.of(share, floorPerSecond, window, nanoClock);
  }

  BudgetSettings withShare(double value) {
    return new BudgetSettings(value, floorPerSecond, window);
  }

  BudgetSettings withFloorPerSecond(int value) {
    return new BudgetSettings(share, value, window);
  }

  BudgetSettings withWindow(Duration value) {
    return new BudgetSettings(share, floorPerSecond, value);
  }
}
