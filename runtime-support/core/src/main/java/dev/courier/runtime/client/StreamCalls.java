package dev.courier.runtime.client;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.AttemptTrace;
import dev.courier.runtime.observe.CallTrace;
import dev.courier.runtime.retry.RetryDecider;
import dev.courier.runtime.retry.StopReason;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens the gRPC call of a streaming rpc: one pick (with the hash key when there is one) and the
 * deadline, which covers the whole stream. Streams are not retried: once a message has gone, the
 * server may have acted on it. The call carries the client's call credentials and the view's
 * metadata (the interceptors wrap the channel itself). The call counts as in flight on its endpoint until it closes, and
 * its outcome feeds passive health. A failed stream reaches the caller as a {@link
 * dev.courier.runtime.CourierException} (see {@link FailureObserver}). A tracing listener traces it
 * as a unary call with one attempt: the call's trace starts on the caller's thread, its one attempt
 * on the picked endpoint carries the trace context in the stream's headers, and both end as the
 * stream closes. The listener hears of its end in {@code onStreamEnd} (with the time since it was
 * opened), never in {@code onCallEnd}, which is for unary calls. Stateless; thread-safe.
 */
final class StreamCalls {
  private StreamCalls() {}

  /** The call to use, or {@code null} when there is no endpoint at all. */
  static <ReqT, RespT> ClientCall<ReqT, RespT> open(
      CallPipeline pipeline, RpcMethod<ReqT, RespT> method, String key, Duration deadline, Metadata metadata,
      ResponseCapture capture) {
    CallPipeline.Resolved resolved = pipeline.resolve(method);
    CallTrace trace = pipeline.listener().traceCall(method.fullName());
    long now = pipeline.now();
    long deadlineAt = pipeline.deadlineAt(resolved, deadline, now);
    if (deadlineAt != RetryDecider.NO_DEADLINE && deadlineAt - now <= 0) {
      // No endpoint is picked, so none is blamed.
      Status expired = Status.DEADLINE_EXCEEDED.withDescription("the deadline passed before the stream started");
      trace.end(expired, 0, StopReason.DEADLINE);
      ended(pipeline, method, expired.getCode(), now);
      return new FailedCall<>(expired);
    }
    EndpointNode node = pipeline.pick(resolved.balancer(), key, now, List.of());
    if (node == null) {
      trace.end(Status.UNAVAILABLE.withDescription(pipeline.noEndpoints()), 0, null);
      ended(pipeline, method, Status.Code.UNAVAILABLE, now);
      return null;
    }
    node.beforeAttempt(now);
    CallOptions options = pipeline.callOptions();
    if (deadlineAt != RetryDecider.NO_DEADLINE) {
      options = options.withDeadlineAfter(deadlineAt - now, TimeUnit.NANOSECONDS);
    }
    long given = deadlineAt == RetryDecider.NO_DEADLINE ? -1 : deadlineAt - now;
    return new Tracked<>(node.channel().newCall(method.descriptor(), options), node, pipeline, method, now,
        metadata, given, capture, trace);
  }

  /** Tells the listener that the stream opened at {@code openedAt} ended with {@code code}. */
  private static void ended(CallPipeline pipeline, RpcMethod<?, ?> method, Status.Code code, long openedAt) {
    pipeline.listener().onStreamEnd(method.fullName(), method.descriptor().getType(), code, pipeline.now() - openedAt);
  }

  /**
   * The observer to give grpc for {@code call} (one {@link #open} returned): it hands {@code
   * responses} a {@link dev.courier.runtime.CourierException} when the stream fails.
   */
  static <ReqT, RespT> FailureObserver<ReqT, RespT> observe(ClientCall<ReqT, RespT> call,
      StreamObserver<RespT> responses) {
    if (call instanceof Tracked<ReqT, RespT> tracked) {
      return new FailureObserver<>(responses, tracked.node.endpoint().authority(), tracked.deadlineNanos);
    }
    return new FailureObserver<>(responses, null, -1);
  }

  /** Counts the call on its node from start to close, and traces it. */
  private static final class Tracked<ReqT, RespT> extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final EndpointNode node;
    private final CallPipeline pipeline;
    private final RpcMethod<ReqT, RespT> method;
    private final long openedAt;
    private final Metadata metadata;
    /** How long the stream was given, in nanoseconds; {@code -1} for no deadline. */
    private final long deadlineNanos;
    private final ResponseCapture capture; // null: not asked for
    private final CallTrace trace;
    private volatile Metadata responseHeaders;

    Tracked(ClientCall<ReqT, RespT> delegate, EndpointNode node, CallPipeline pipeline, RpcMethod<ReqT, RespT> method,
        long openedAt, Metadata metadata, long deadlineNanos, ResponseCapture capture, CallTrace trace) {
      super(delegate);
      this.node = node;
      this.pipeline = pipeline;
      this.method = method;
      this.openedAt = openedAt;
      this.metadata = metadata;
      this.deadlineNanos = deadlineNanos;
      this.capture = capture;
      this.trace = trace;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      if (metadata != null) {
        headers.merge(metadata);
      }
      // After the view's metadata, so that the attempt's traceparent replaces one the caller set.
      AttemptTrace attempt = trace.attempt(node.endpoint().authority(), 1, false, headers);
      node.onStart();
      super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onHeaders(Metadata headers) {
          responseHeaders = headers;
          super.onHeaders(headers);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          long ejectedFor = node.onStreamFinish(status.getCode(), pipeline.now());
          if (ejectedFor > 0) {
            attempt.ejected(node.endpoint().authority(), ejectedFor);
            EndpointNode.logEjection(node.endpoint().authority(), ejectedFor, attempt.logSuffix());
          }
          if (capture != null) {
            capture.record(responseHeaders, trailers);
          }
          // Ended before the caller hears of the close, as a unary call's trace is.
          attempt.end(status.getCode());
          trace.end(status, 1, null);
          ended(pipeline, method, status.getCode(), openedAt);
          super.onClose(status, trailers);
        }
      }, headers);
    }
  }
}
