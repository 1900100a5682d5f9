package dev.courier.runtime.queue;

import java.time.Duration;
import java.util.Objects;

/** The argument checks the queue builders share; each names the setting and what it expects. */
final class BuilderChecks {
  private BuilderChecks() {}

  /** {@code value}, if it is at least 1. */
  static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(String.format("%s: %s (expected: >= 1)", name, value));
    }
    return value;
  }

  /** {@code value}, if it is not null and not negative. */
  static Duration notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(String.format("%s: %s (expected: >= 0)", name, value));
    }
    return value;
  }
}
