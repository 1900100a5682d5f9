package dev.courier.codegen.build;

/**
 * Where the build pipeline reports progress; the Maven plugin forwards it to Maven's log.
 *
 * @since 0.1.0
 */
public interface BuildLog {

  /** A line every user sees. */
  void info(String message);

  /** A line for {@code mvn -X}. */
  void debug(String message);

  /** A line about something the user may want to fix, such as a protoc warning. */
  void warn(String message);

  /** A line that reports a problem; errors that fail the build come as {@link BuildException}. */
  void error(String message);

  /** A log that drops everything, for tests and tools that do not care. */
  static BuildLog silent() {
    return new BuildLog() {
      @Override
      public void info(String message) {}

      @Override
      public void debug(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void error(String message) {}
    };
  }
}
