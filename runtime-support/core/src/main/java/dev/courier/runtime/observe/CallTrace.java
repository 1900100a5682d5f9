package dev.courier.runtime.observe;

import dev.courier.runtime.retry.StopReason;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * The trace of one unary call, from its start to its end: what a tracing {@link CourierListener}
 * returns from {@link CourierListener#traceCall}. The client asks for it on the caller's thread as
 * the call starts, so an implementation takes its parent from that thread's context.
 *
 * <p>Called on the threads that run the call; attempts and hedges may run at once, so
 * implementations must be thread-safe, fast, must not block and must not throw. {@link #NONE},
 * what a client without a tracing listener uses, does nothing.
 */
public interface CallTrace {
  /** Traces nothing. */
  CallTrace NONE = new CallTrace() {};

  /**
   * Attempt {@code number} (from 1) starts on {@code endpoint} ({@code host:port}); {@code hedged}
   * for a hedge. An implementation writes the attempt's trace context into {@code headers}, which
   * the attempt sends.
   */
  default AttemptTrace attempt(String endpoint, int number, boolean hedged, Metadata headers) {
    return AttemptTrace.NONE;
  }

  /** Attempt {@code nextAttempt} is scheduled after {@code backoffNanos}. */
  default void retry(int nextAttempt, long backoffNanos, Status.Code lastCode) {}

  /** A retry or hedge was not made because the retry budget was spent. */
  default void budgetRefused(boolean hedge) {}

  /**
   * The call ended with {@code status} ({@code OK} on success); {@code reason} says what stopped
   * further attempts ({@code null} on success). Called once.
   */
  default void end(Status status, int attempts, StopReason reason) {}
}
