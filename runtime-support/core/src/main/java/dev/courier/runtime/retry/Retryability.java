package dev.courier.runtime.retry;

import io.grpc.Status;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which failed attempts may be retried (before the attempt count, the deadline and the budget
 * have their say).
 *
 * <p>The rule:
 * <ol>
 *   <li>A failure where the request <em>surely never reached a server</em> is retryable for every
 *       method, idempotent or not. "Surely never" means: status {@code UNAVAILABLE}, and gRPC
 *       never reported the request headers as written to a connection (its
 *       {@code ClientStreamTracer.outboundHeaders()} was not called) and no response headers
 *       arrived: the connection was refused, could not be made, or no endpoint was there. Or
 *       the server reset the stream with HTTP/2's {@code REFUSED_STREAM}, which says that it did
 *       no processing of it (RFC 9113, section 8.7; {@link #refusedUnprocessed}). Courier's
 *       channels have gRPC's own retries off, so this rule, not gRPC's transparent retry, takes
 *       such a call elsewhere.
 *   <li>Otherwise a non-idempotent method is never retried: the server may have run it.
 *   <li>An idempotent method is retried when the code is in {@link RetryPolicy#retryableCodes()},
 *       or, when that set is empty (the default), on {@code UNAVAILABLE}, {@code
 *       RESOURCE_EXHAUSTED} and {@code DEADLINE_EXCEEDED} of one attempt (a deadline of the whole
 *       call that has run out stops the call before this rule is asked).
 * </ol>
 * {@link #isServerFault} is the other rule of status codes: which failures count against an
 * endpoint's passive health. Stateless and thread-safe.
 */
public final class Retryability {
  private static final Set<Status.Code> IDEMPOTENT_DEFAULTS = EnumSet.of(
      Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED, Status.Code.DEADLINE_EXCEEDED);

  /** How grpc-java names the HTTP/2 error in the description of a stream reset with it. */
  private static final String REFUSED_STREAM = "HTTP/2 error code: REFUSED_STREAM";

  private Retryability() {}

  /**
   * Whether a failed attempt may be retried.
   *
   * @param policy the method's retry policy
   * @param idempotent whether the method is idempotent
   * @param code the attempt's status code
   * @param neverReachedServer whether the request surely never reached a server (see above)
   */
  public static boolean mayRetry(
      RetryPolicy policy, boolean idempotent, Status.Code code, boolean neverReachedServer) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(code, "code");
    if (code == Status.Code.OK) {
      return false;
    }
    if (neverReachedServer && code == Status.Code.UNAVAILABLE) {
      return policy.retryableCodes().isEmpty() || policy.retryableCodes().contains(code);
    }
    if (!idempotent) {
      return false;
    }
    Set<Status.Code> codes = policy.retryableCodes().isEmpty() ? IDEMPOTENT_DEFAULTS : policy.retryableCodes();
    return codes.contains(code);
  }

  /**
   * Whether the server refused the attempt's stream before any processing of it: {@code
   * UNAVAILABLE} from an HTTP/2 {@code RST_STREAM} with {@code REFUSED_STREAM}, which grpc-java
   * reports with that error code's name in the description ("HTTP/2 error code:
   * REFUSED_STREAM"). Any other reset, and a {@code GOAWAY} (which grpc-java itself does not
   * trust to tell sent streams from processed ones), is not.
   */
  public static boolean refusedUnprocessed(Status status) {
    String description = status.getDescription();
    return status.getCode() == Status.Code.UNAVAILABLE && description != null
        && description.contains(REFUSED_STREAM);
  }

  /**
   * Whether a failure with {@code code} counts against the endpoint that answered it (passive
   * health): {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code INTERNAL}, {@code UNKNOWN} and
   * {@code DATA_LOSS}. Other codes (an invalid argument, a missing entity, a cancellation) are the
   * call's fault, not the server's.
   */
  public static boolean isServerFault(Status.Code code) {
    return switch (Objects.requireNonNull(code, "code")) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, DATA_LOSS -> true;
      default -> false;
    };
  }
}
