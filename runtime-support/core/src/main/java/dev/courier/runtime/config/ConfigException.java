package dev.courier.runtime.config;

import java.util.Objects;

/**
 * A key that cannot apply, with its {@link ConfigProblem}. Its message is {@code key: reason},
 * the format of every configuration error in Courier.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient ConfigProblem problem;

  public ConfigException(ConfigProblem problem) {
    super(problem.key() + ": " + problem.reason());
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** A problem told in a longer {@code message}, such as one naming every problem of a version. */
  public ConfigException(String message, ConfigProblem problem) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public ConfigException(ConfigProblem problem, Throwable cause) {
    this(problem);
    initCause(cause);
  }

  public ConfigProblem problem() {
    return problem;
  }
}
