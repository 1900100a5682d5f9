package dev.courier.runtime.config;

import java.util.Objects;

/**
 * One key that an applied version changed.
 *
 * @param key the key
 * @param before its value before, {@code null} when the key was added
 * @param after its value now, {@code null} when the key was removed (the next layer applies again)
 */
public record ConfigChange(String key, String before, String after) {
  public ConfigChange {
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return after == null ? key + " removed (was " + before + ")"
        : before == null ? key + "=" + after + " (added)"
        : key + "=" + after + " (was " + before + ")";
  }
}
