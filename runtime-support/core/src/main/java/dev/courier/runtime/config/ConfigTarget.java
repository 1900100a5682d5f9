package dev.courier.runtime.config;

import java.util.List;

/**
 * Something that follows live configuration: a client or a server. {@link LiveConfig} asks every
 * target to {@link #check} a version before it asks any to {@link #apply} it, so that a version
 * applies everywhere or nowhere.
 *
 * <p>Implementations are thread-safe; {@code LiveConfig} calls them one version at a time.
 */
public interface ConfigTarget {
  /**
   * What in {@code version} this target cannot take, with the same checks as the build; empty
   * when it can apply. Must not change anything.
   */
  List<ConfigProblem> check(ConfigVersion version);

  /**
   * Puts {@code version}, which {@link #check} accepted, in force at once, for calls that start
   * from now on; calls in flight keep what they started with.
   */
  void apply(ConfigVersion version);
}
