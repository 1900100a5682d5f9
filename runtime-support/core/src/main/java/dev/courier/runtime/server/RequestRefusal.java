package dev.courier.runtime.server;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Whether {@link RequestParseGuard} refused the current call's request, and with which status. The
 * guard puts one in each call's gRPC {@code Context}; {@link ServiceBindings} reads it so that a
 * streaming method's request observer hears that status ({@code INVALID_ARGUMENT}) instead of
 * grpc-java's {@code CANCELLED "client cancelled"}, which is all a listener's {@code onCancel} can
 * say. Thread-safe: set once by the guard, read by the method's threads.
 */
final class RequestRefusal {
  private static final Context.Key<RequestRefusal> KEY = Context.key("courier-request-refusal");

  private volatile Status status; // null until the guard refuses the call

  /** The refusal of the call whose context is current; {@code null} outside a guarded call. */
  static RequestRefusal current() {
    return KEY.get();
  }

  /** {@code context} carrying this refusal. */
  Context attachTo(Context context) {
    return context.withValue(KEY, this);
  }

  void refuse(Status refusal) {
    this.status = refusal;
  }

  boolean refused() {
    return status != null;
  }

  /**
   * What the method should be told instead of {@code error}: the refusal's status when the call was
   * refused, {@code error} itself otherwise.
   */
  Throwable explain(Throwable error) {
    Status refusal = status;
    return refusal == null ? error : new StatusRuntimeException(refusal.withCause(null));
  }
}
