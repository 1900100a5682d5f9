package dev.courier.runtime.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks every builder shares; each names the setting and what it expects, in one
 * format: {@code "maxAttempts: 0 (expected: >= 1)"}. Internal: not an API, it may change in any release.
 */
public final class Checks {
  private Checks() {}

  /** {@code value}, if it is at least 1. */
  public static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(String.format("%s: %s (expected: >= 1)", name, value));
    }
    return value;
  }

  /** {@code value}, if it is not null and not negative. */
  public static Duration notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(String.format("%s: %s (expected: >= 0)", name, value));
    }
    return value;
  }
}
