package dev.courier.codegen.build;

import java.util.List;

/**
 * The build cannot go on. {@link #getMessage()} is one summary line; {@link #details()} are the
 * lines that come before it in the log (protoc's {@code file:line:col: message} lines, one
 * generator problem each), each naming a file and saying what to do.
 *
 * @since 0.1.0
 */
public final class BuildException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> details;

  /**
   * @param summary one line that says what failed and what to do
   * @param details lines to log before the summary, may be empty
   */
  public BuildException(String summary, List<String> details) {
    super(summary);
    this.details = List.copyOf(details);
  }

  /** A failure with no detail lines. */
  public BuildException(String summary) {
    this(summary, List.of());
  }

  /** A failure caused by an IO or process error. */
  public BuildException(String summary, Throwable cause) {
    super(summary, cause);
    this.details = List.of();
  }

  /** The lines to log, in order, before the summary; never null. */
  public List<String> details() {
    return details;
  }
}
