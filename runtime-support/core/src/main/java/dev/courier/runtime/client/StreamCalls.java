package dev.courier.runtime.client;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.TraceLog;
import dev.courier.runtime.retry.RetryDecider;
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
 * dev.courier.runtime.CourierException} (see {@link FailureObserver}). Stateless; thread-safe.
 */
final class StreamCalls {
  private StreamCalls() {}

  /** The call to use, or {@code null} when there is no endpoint at all. */
  static <ReqT, RespT> ClientCall<ReqT, RespT> open(
      CallPipeline pipeline, RpcMethod<ReqT, RespT> method, String key, Duration deadline, Metadata metadata,
      ResponseCapture capture) {
    CallPipeline.Resolved resolved = pipeline.resolve(method);
    long now = pipeline.now();
    long deadlineAt = pipeline.deadlineAt(resolved, deadline, now);
    if (deadlineAt != RetryDecider.NO_DEADLINE && deadlineAt - now <= 0) {
      // No endpoint is picked, so none is blamed.
      return new FailedCall<>(Status.DEADLINE_EXCEEDED.withDescription("the deadline passed before the stream started"));
    }
    EndpointNode node = pipeline.pick(resolved.balancer(), key, now, List.of());
    if (node == null) {
      return null;
    }
    node.beforeAttempt(now);
    CallOptions options = pipeline.callOptions();
    if (deadlineAt != RetryDecider.NO_DEADLINE) {
      options = options.withDeadlineAfter(deadlineAt - now, TimeUnit.NANOSECONDS);
    }
    long given = deadlineAt == RetryDecider.NO_DEADLINE ? -1 : deadlineAt - now;
    return new Tracked<>(node.channel().newCall(method.descriptor(), options), node, pipeline, metadata, given,
        capture);
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

  /** Counts the call on its node from start to close. */
  private static final class Tracked<ReqT, RespT> extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final EndpointNode node;
    private final CallPipeline pipeline;
    private final Metadata metadata;
    /** How long the stream was given, in nanoseconds; {@code -1} for no deadline. */
    private final long deadlineNanos;
    private final ResponseCapture capture; // null: not asked for
    private volatile Metadata responseHeaders;

    Tracked(ClientCall<ReqT, RespT> delegate, EndpointNode node, CallPipeline pipeline, Metadata metadata,
        long deadlineNanos, ResponseCapture capture) {
      super(delegate);
      this.node = node;
      this.pipeline = pipeline;
      this.metadata = metadata;
      this.deadlineNanos = deadlineNanos;
      this.capture = capture;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      if (metadata != null) {
        headers.merge(metadata);
      }
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
            EndpointNode.logEjection(node.endpoint().authority(), ejectedFor, TraceLog.suffix());
          }
          if (capture != null) {
            capture.record(responseHeaders, trailers);
          }
          super.onClose(status, trailers);
        }
      }, headers);
    }
  }
}
