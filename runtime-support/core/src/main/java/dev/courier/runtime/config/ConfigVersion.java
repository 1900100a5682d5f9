package dev.courier.runtime.config;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One complete version of live configuration, as a {@link ConfigSource} read it: every key and its
 * value (not a delta), where it came from and which revision it is there.
 *
 * <p>Immutable. Values are stripped; keys with empty values are left out, as in
 * {@code ClientBuilder.configure}, so that an emptied line removes the key.
 *
 * @param values the keys and values, sorted by key
 * @param origin where the version was read, e.g. {@code file:/etc/app/courier.properties}
 * @param revision the source's name for this version: a file's modification time and content hash,
 *     a ZooKeeper node version, a Consul {@code ModifyIndex}
 */
public record ConfigVersion(Map<String, String> values, String origin, String revision) {
  public ConfigVersion {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(revision, "revision");
    TreeMap<String, String> sorted = new TreeMap<>();
    Objects.requireNonNull(values, "values").forEach((k, v) -> {
      String value = Objects.requireNonNull(v, k).strip();
      if (!value.isEmpty()) {
        sorted.put(k.strip(), value);
      }
    });
    values = java.util.Collections.unmodifiableSortedMap(sorted);
  }

  /** The version in force before any source answered: no keys. */
  public static ConfigVersion none(String origin) {
    return new ConfigVersion(Map.of(), origin, "none");
  }

  @Override
  public String toString() {
    return origin + "@" + revision + " (" + values.size() + " keys)";
  }
}
