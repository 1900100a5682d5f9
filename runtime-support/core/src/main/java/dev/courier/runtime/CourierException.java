package dev.courier.runtime;

import dev.courier.runtime.retry.StopReason;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Objects;

/**
 * A call that failed: the final gRPC {@link Status} (code and description), the trailers the
 * server sent, every attempt that was made, and the {@link StopReason} that stopped further
 * attempts.
 *
 * <p>Thrown by generated clients. A server method may throw it too (or grpc's {@link
 * StatusRuntimeException}) to fail a call with a chosen status, message and trailers.
 */
public class CourierException extends StatusRuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Attempt> attempts;
  private final StopReason stopReason;
  private final String note;
  /** What {@link #withCallerStack} copied; {@code null} otherwise. */
  private final CourierException original;

  /** One attempt of a call: which endpoint, with which status. */
  public record Attempt(String endpoint, Status.Code code, String description) {
    @Override
    public String toString() {
      return endpoint + "=" + code + (description == null ? "" : " (" + description + ")");
    }
  }

  /**
   * A failed call.
   *
   * @param status the final status; its cause, if any, becomes this exception's cause
   * @param trailers the final trailers; {@code null} for none
   * @param attempts every attempt, in order
   * @param stopReason what stopped further attempts; {@code null} when not known or not applicable
   */
  public CourierException(Status status, Metadata trailers, List<Attempt> attempts, StopReason stopReason) {
    this(status, trailers, attempts, stopReason, null);
  }

  /**
   * As {@link #CourierException(Status, Metadata, List, StopReason)}, with a note for people that
   * {@link #getMessage()} appends (such as "the server may have run the call"); {@code null} for none.
   */
  public CourierException(Status status, Metadata trailers, List<Attempt> attempts, StopReason stopReason,
      String note) {
    this(status, trailers, attempts, stopReason, note, null);
  }

  private CourierException(Status status, Metadata trailers, List<Attempt> attempts, StopReason stopReason,
      String note, CourierException original) {
    super(Objects.requireNonNull(status, "status"), trailers == null ? new Metadata() : trailers);
    this.attempts = List.copyOf(attempts);
    this.stopReason = stopReason;
    this.note = note;
    this.original = original;
  }

  /** Fails a call with {@code code} and {@code message}; for use inside server methods. */
  public static CourierException of(Status.Code code, String message) {
    return new CourierException(code.toStatus().withDescription(message), new Metadata(), List.of(), null);
  }

  /** Fails a call with {@code status} and {@code trailers}; for use inside server methods. */
  public static CourierException of(Status status, Metadata trailers) {
    return new CourierException(status, trailers, List.of(), null);
  }

  /** Wraps what grpc-java raised, keeping status, description, cause and trailers. */
  public static CourierException from(Throwable t) {
    if (t instanceof CourierException ce) {
      return ce;
    }
    Status status = Status.fromThrowable(t);
    Metadata trailers = Status.trailersFromThrowable(t);
    CourierException e = new CourierException(status, trailers, List.of(), null);
    // The constructor already took the status's cause, when it has one.
    if (e.getCause() == null) {
      if (!(t instanceof StatusRuntimeException) && !(t instanceof StatusException)) {
        e.initCause(t);
      } else if (t.getCause() != null) {
        e.initCause(t.getCause());
      }
    }
    return e;
  }

  /**
   * A copy whose stack trace is the current thread's and whose {@link #getCause() cause} is this
   * exception: the same status (with its own cause), trailers, attempts, stop reason and note. Blocking calls throw it, so that the
   * caller's own line is in the trace of an exception completed on a gRPC thread.
   */
  public CourierException withCallerStack() {
    return new CourierException(getStatus(), getTrailers(), attempts(), stopReason, note, this);
  }

  /**
   * The exception this one copies (see {@link #withCallerStack}); otherwise the status's cause, or
   * {@code null}.
   */
  @Override
  public synchronized Throwable getCause() {
    return original != null ? original : super.getCause();
  }

  /** The status code of the final attempt. */
  public Status.Code code() {
    return getStatus().getCode();
  }

  /** The status description of the final attempt, or {@code null}. */
  public String description() {
    return getStatus().getDescription();
  }

  /** The trailers of the final attempt; never {@code null}. */
  public Metadata trailers() {
    Metadata trailers = getTrailers();
    return trailers == null ? new Metadata() : trailers;
  }

  /** Every attempt that was made, in order; empty when the call never left this process. */
  public List<Attempt> attempts() {
    return attempts == null ? List.of() : attempts;
  }

  /**
   * What stopped further attempts, or {@code null} when it is not known or does not apply: an
   * exception raised inside a server method, one wrapped by {@link #from}, or a streaming call
   * that found no endpoint.
   */
  public StopReason stopReason() {
    return stopReason;
  }

  /**
   * The status, then every attempt as {@code endpoint=CODE (description)}, the stop reason and the
   * note. An attempt that ended with {@code DEADLINE_EXCEEDED} is shown without its description
   * (grpc's is a dump of its transport's state); {@link #attempts()} keeps it.
   */
  @Override
  public String getMessage() {
    StringBuilder sb = new StringBuilder(super.getMessage());
    List<Attempt> all = attempts();
    if (!all.isEmpty()) {
      sb.append(" after ").append(all.size()).append(all.size() == 1 ? " attempt [" : " attempts [");
      for (int i = 0; i < all.size(); i++) {
        Attempt a = all.get(i);
        sb.append(i == 0 ? "" : ", ")
            .append(a.code() == Status.Code.DEADLINE_EXCEEDED ? a.endpoint() + "=" + a.code() : a.toString());
      }
      sb.append(']');
    }
    if (stopReason != null) {
      sb.append("; stopped by ").append(stopReason.label());
    }
    if (note != null) {
      sb.append("; ").append(note);
    }
    return sb.toString();
  }
}
