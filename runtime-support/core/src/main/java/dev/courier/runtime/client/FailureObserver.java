package dev.courier.runtime.client;

import dev.courier.runtime.CourierException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * The response observer Courier gives grpc for a stream: it passes everything on to the caller's
 * observer, and turns grpc's {@code StatusRuntimeException} into a {@link CourierException} with
 * the status, the trailers and the stream's one attempt (stop reason {@code null}: streams are
 * not retried). A {@code DEADLINE_EXCEEDED} gets the sentence of {@link DeadlineText}; grpc's
 * description stays in the attempt. When the caller's observer is a {@link
 * ClientResponseObserver}, it still gets {@code beforeStart}.
 *
 * <p>grpc calls it one method at a time, as it calls the caller's observer.
 */
final class FailureObserver<ReqT, RespT> implements ClientResponseObserver<ReqT, RespT> {
  private final StreamObserver<RespT> delegate;
  /** The endpoint of the stream; {@code null} when none was picked (the deadline had passed). */
  private final String endpoint;
  /** How long the stream was given, in nanoseconds; {@code -1} for no deadline. */
  private final long deadlineNanos;

  FailureObserver(StreamObserver<RespT> delegate, String endpoint, long deadlineNanos) {
    this.delegate = delegate;
    this.endpoint = endpoint;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    if (delegate instanceof ClientResponseObserver<?, ?> observer) {
      ((ClientResponseObserver<ReqT, RespT>) observer).beforeStart(requestStream);
    }
  }

  @Override
  public void onNext(RespT value) {
    delegate.onNext(value);
  }

  @Override
  public void onError(Throwable t) {
    delegate.onError(failure(t));
  }

  @Override
  public void onCompleted() {
    delegate.onCompleted();
  }

  private CourierException failure(Throwable t) {
    if (t instanceof CourierException ce) {
      return ce;
    }
    Status status = Status.fromThrowable(t);
    Metadata trailers = Status.trailersFromThrowable(t);
    List<CourierException.Attempt> attempts = endpoint == null ? List.of()
        : List.of(new CourierException.Attempt(endpoint, status.getCode(), status.getDescription()));
    if (deadlineNanos >= 0 && endpoint != null) {
      status = DeadlineText.describe(status, deadlineNanos, attempts);
    }
    // The status's cause, if any, becomes the exception's cause.
    return new CourierException(status, trailers, attempts, null);
  }
}
