package dev.courier.runtime.observe;

import io.grpc.Status;

/**
 * The trace of one delivery a queue worker processes: what a tracing {@link CourierListener}
 * returns from {@link CourierListener#traceQueueWork}. The worker {@link #enter enters} it on the
 * thread that runs the handler, so that calls the handler makes, and Courier's log lines, join the
 * caller's trace.
 *
 * <p>Thread-safe, fast, never throws; {@link #NONE} does nothing.
 */
public interface QueueWorkTrace {
  /** Traces nothing. */
  QueueWorkTrace NONE = new QueueWorkTrace() {};

  /** Makes the trace current on this thread until the returned scope is closed (on the same thread). */
  default Scope enter() {
    return Scope.NONE;
  }

  /** The delivery's outcome: {@code event} (executed, deduplicated, expired, dead-lettered) with the reply's status. */
  default void end(QueueEvent event, Status status) {}

  /** A trace made current by {@link QueueWorkTrace#enter}; closing it restores what was current before. */
  interface Scope extends AutoCloseable {
    /** Restores nothing. */
    Scope NONE = () -> {};

    @Override
    void close();
  }
}
