package dev.courier.runtime.client;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.retry.RetryDecider;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens the gRPC call of a streaming rpc: one pick (with the hash key when there is one) and the
 * deadline, which covers the whole stream. Streams are not retried: once a message has gone, the
 * server may have acted on it. The call counts as in flight on its endpoint until it closes, and
 * its outcome feeds passive health. Stateless; thread-safe.
 */
final class StreamCalls {
  private StreamCalls() {}

  /** The call to use, or {@code null} when there is no endpoint at all. */
  static <ReqT, RespT> ClientCall<ReqT, RespT> open(
      CallPipeline pipeline, RpcMethod<ReqT, RespT> method, String key, Duration deadline) {
    CallPipeline.Resolved resolved = pipeline.resolve(method);
    long now = pipeline.now();
    EndpointNode node = pipeline.pick(resolved.balancer(), key, now, List.of());
    if (node == null) {
      return null;
    }
    node.beforeAttempt(now);
    CallOptions options = CallOptions.DEFAULT;
    long deadlineAt = pipeline.deadlineAt(resolved, deadline, now);
    if (deadlineAt != RetryDecider.NO_DEADLINE) {
      options = options.withDeadlineAfter(deadlineAt - now, TimeUnit.NANOSECONDS);
    }
    return new Tracked<>(node.channel().newCall(method.descriptor(), options), node, pipeline);
  }

  /** Counts the call on its node from start to close. */
  private static final class Tracked<ReqT, RespT> extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final EndpointNode node;
    private final CallPipeline pipeline;

    Tracked(ClientCall<ReqT, RespT> delegate, EndpointNode node, CallPipeline pipeline) {
      super(delegate);
      this.node = node;
      this.pipeline = pipeline;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      node.onStart();
      super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onClose(Status status, Metadata trailers) {
          node.onStreamFinish(status.getCode(), pipeline.now());
          super.onClose(status, trailers);
        }
      }, headers);
    }
  }
}
