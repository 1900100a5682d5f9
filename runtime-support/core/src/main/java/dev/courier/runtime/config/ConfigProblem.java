package dev.courier.runtime.config;

import java.util.Objects;

/**
 * Why one key of a version cannot apply.
 *
 * @param key the key, e.g. {@code courier.shop.Inventory/RecordSale.retry.retryableCodes}
 * @param value its value in the refused version, or {@code ""} when the problem is its absence
 * @param reason what is wrong and what to write instead
 */
public record ConfigProblem(String key, String value, String reason) {
  public ConfigProblem {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reason, "reason");
  }

  /** {@code key=value: reason}. */
  @Override
  public String toString() {
    return key + "=" + value + ": " + reason;
  }
}
