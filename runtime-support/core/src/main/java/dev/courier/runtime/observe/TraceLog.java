package dev.courier.runtime.observe;

import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * Joins Courier's own log lines to the trace of the thread that writes them. Courier logs through
 * the JDK's {@code System.Logger}, one line per event; a line written while a trace is current on
 * the thread ends with {@code " trace_id=<32 hex> span_id=<16 hex>"}, so any log backend can join
 * it to the trace without a logging bridge.
 *
 * <p>The current trace comes from the first {@link Provider} found by {@link ServiceLoader}
 * ({@code courier-opentelemetry} registers one that reads OpenTelemetry's current span); without
 * one, lines carry nothing. Thread-safe.
 */
public final class TraceLog {
  private static final Provider PROVIDER = ServiceLoader.load(Provider.class, TraceLog.class.getClassLoader())
      .findFirst().orElse(() -> "");

  private static final Pattern LINE_BREAKS = Pattern.compile("\\R+");

  private TraceLog() {}

  /**
   * {@code message} as one log line, joined to the trace current on this thread: its line breaks
   * (a multi-line exception message, say) become {@code " | "}, and {@link #suffix()} follows.
   */
  public static String line(String message) {
    return LINE_BREAKS.matcher(message).replaceAll(" | ") + suffix();
  }

  /** {@code " trace_id=… span_id=…"} for the trace current on this thread, or {@code ""}. */
  public static String suffix() {
    try {
      return PROVIDER.currentSuffix();
    } catch (RuntimeException | LinkageError e) {
      return "";
    }
  }

  /** Reads the trace current on the calling thread; registered as a {@link ServiceLoader} service. */
  @FunctionalInterface
  public interface Provider {
    /** {@code " trace_id=… span_id=…"} (leading space included), or {@code ""} when no trace is current. */
    String currentSuffix();
  }
}
