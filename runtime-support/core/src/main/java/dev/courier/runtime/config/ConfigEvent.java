package dev.courier.runtime.config;

import java.util.List;
import java.util.Objects;

/** What happened to live configuration; told to every {@link ConfigListener}. */
public sealed interface ConfigEvent {
  /**
   * {@code version} passed every check and is in force everywhere it is followed.
   *
   * @param version the version now in force
   * @param previous the version it replaced
   * @param changes every key that changed, sorted by key
   */
  record Applied(ConfigVersion version, ConfigVersion previous, List<ConfigChange> changes) implements ConfigEvent {
    public Applied {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(previous, "previous");
      changes = List.copyOf(changes);
    }
  }

  /**
   * {@code refused} failed a check and was not applied anywhere; {@code inForce} stays.
   *
   * @param refused the version that was refused
   * @param inForce the version that stays in force
   * @param problems every key that failed, with its value and why; never empty
   */
  record Refused(ConfigVersion refused, ConfigVersion inForce, List<ConfigProblem> problems) implements ConfigEvent {
    public Refused {
      Objects.requireNonNull(refused, "refused");
      Objects.requireNonNull(inForce, "inForce");
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("problems: [] (expected: at least one)");
      }
    }
  }

  /**
   * The source cannot be read; {@code inForce} stays until it can.
   *
   * @param origin the source
   * @param reason why it cannot be read
   * @param inForce the version that stays in force
   */
  record Unavailable(String origin, String reason, ConfigVersion inForce) implements ConfigEvent {
    public Unavailable {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(inForce, "inForce");
    }
  }
}
