package dev.courier.runtime.observe;

import io.grpc.Status;
import java.util.Map;

/**
 * The trace of one queue-backed call on the client: what a tracing {@link CourierListener}
 * returns from {@link CourierListener#traceQueueCall}, asked for on the caller's thread. For a call
 * that waits for its reply the trace covers the wait; the request's publication is {@link
 * #publishing} to {@link #published}.
 *
 * <p>Thread-safe, fast, never throws; {@link #NONE} does nothing.
 */
public interface QueueCallTrace {
  /** Traces nothing. */
  QueueCallTrace NONE = new QueueCallTrace() {};

  /**
   * The request is about to be published with {@code headers}: an implementation adds its trace
   * context to them (W3C {@code traceparent}, {@code tracestate}, {@code baggage}), which the
   * worker reads back in {@link CourierListener#traceQueueWork}. {@code requestId} identifies the
   * message.
   */
  default void publishing(Map<String, String> headers, String requestId) {}

  /** The queue accepted the request ({@code error} is {@code null}), or did not. */
  default void published(Throwable error) {}

  /**
   * The call ended: the reply came ({@code OK} or the worker's status), or the call timed out or
   * failed. Not called for a call that waits for no reply. Called once.
   */
  default void end(Status status) {}
}
