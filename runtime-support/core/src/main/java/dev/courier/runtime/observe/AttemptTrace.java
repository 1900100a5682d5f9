package dev.courier.runtime.observe;

import io.grpc.Status;

/**
 * The trace of one attempt (or hedge) of a unary call; see {@link CallTrace#attempt}. Same
 * threading rules as {@link CallTrace}.
 */
public interface AttemptTrace {
  /** Traces nothing. */
  AttemptTrace NONE = new AttemptTrace() {};

  /** The attempt's failure ejected its endpoint for {@code nanos}. Called before {@link #end}. */
  default void ejected(String endpoint, long nanos) {}

  /** The attempt ended with {@code code}. Called once. */
  default void end(Status.Code code) {}

  /**
   * What a log line about this attempt appends so that a log backend can join it to the trace:
   * {@code " trace_id=… span_id=…"} (with the leading space), or {@code ""} when not traced.
   */
  default String logSuffix() {
    return "";
  }
}
