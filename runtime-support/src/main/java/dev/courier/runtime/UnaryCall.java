package dev.courier.runtime;

import dev.courier.runtime.retry.Retryability;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One unary call through the pipeline: deadline → attempts (retry decision, backoff, budget) →
 * pick → channel. The result completes {@link #future()}.
 *
 * <p>Attempts never overlap, so the call's state is touched by one thread at a time (the caller,
 * then the gRPC callback of each attempt, or the scheduler after a backoff); the hand-over between
 * them goes through gRPC's and the executor's own synchronisation. {@link #cancel} may come from
 * any thread and only reads the volatile current attempt.
 */
final class UnaryCall<ReqT, RespT> {
  private static final long DEADLINE_SLACK_NANOS = 1_000_000L;

  private final CallPipeline pipeline;
  private final RpcMethod<ReqT, RespT> method;
  private final CallPipeline.Resolved resolved;
  private final ReqT request;
  private final String key;
  private final long deadlineAt;
  private final long perAttemptNanos;
  /** The caller's gRPC context: retries run in it, so they keep its deadline and cancellation. */
  private final Context context = Context.current();
  private final CallFuture<RespT> future = new CallFuture<>(this);
  private final List<EndpointNode> tried = new ArrayList<>(2);
  private List<CourierException.Attempt> attempts;
  private volatile ClientCall<ReqT, RespT> current;
  private volatile boolean cancelled;

  UnaryCall(CallPipeline pipeline, RpcMethod<ReqT, RespT> method, ReqT request, String key, Duration deadline) {
    this.pipeline = pipeline;
    this.method = method;
    this.resolved = pipeline.resolve(method);
    this.request = request;
    this.key = key != null ? key : method.hasHashKey() ? method.hashKeyOf(request).orElse(null) : null;
    this.perAttemptNanos =
        resolved.policy().retry().perAttemptTimeout().map(Duration::toNanos).orElse(Long.MAX_VALUE);
    this.deadlineAt = pipeline.deadlineAt(resolved, deadline, pipeline.nanoClock.getAsLong());
  }

  CompletableFuture<RespT> future() {
    return future;
  }

  UnaryCall<ReqT, RespT> start() {
    pipeline.budget.onCall();
    attempt();
    return this;
  }

  void cancel(String why) {
    cancelled = true;
    ClientCall<ReqT, RespT> call = current;
    if (call != null) {
      call.cancel(why, null);
    }
  }

  private void attempt() {
    if (cancelled) {
      fail(Status.CANCELLED.withDescription("cancelled by the caller"), null, null);
      return;
    }
    long now = pipeline.nanoClock.getAsLong();
    long remaining = deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineAt - now;
    if (remaining <= 0) {
      int next = attempts == null ? 1 : attempts.size() + 1;
      fail(Status.DEADLINE_EXCEEDED.withDescription("deadline passed before attempt " + next), null, "deadline");
      return;
    }
    EndpointNode node = pipeline.pick(resolved.balancer(), key, now, tried);
    if (node == null) {
      onClosed(null, now, Status.UNAVAILABLE.withDescription("no endpoints for " + pipeline.serviceName),
          new Metadata(), true);
      return;
    }
    tried.add(node);
    Attempt attempt = new Attempt(node, now);
    CallOptions options = CallOptions.DEFAULT.withStreamTracerFactory(attempt.tracerFactory());
    long attemptTimeout = Math.min(remaining, perAttemptNanos);
    if (attemptTimeout != Long.MAX_VALUE) {
      options = options.withDeadlineAfter(attemptTimeout, TimeUnit.NANOSECONDS);
    }
    ClientCall<ReqT, RespT> call = node.channel().newCall(method.descriptor(), options);
    current = call;
    node.onStart();
    try {
      call.start(attempt, new Metadata());
      call.request(2);
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException | Error e) {
      call.cancel("failed to start the call", e);
    }
  }

  private void onClosed(EndpointNode node, long startedAt, Status status, Metadata trailers, boolean neverReached) {
    long now = pipeline.nanoClock.getAsLong();
    if (node != null) {
      node.onFinish(startedAt, status.getCode(), now);
    }
    if (attempts == null) {
      attempts = new ArrayList<>(2);
    }
    attempts.add(new CourierException.Attempt(
        node == null ? "(none)" : node.endpoint().authority(), status.getCode(), status.getDescription()));
    String stop = stopReason(status, neverReached, now);
    if (stop != null) {
      fail(status, trailers, stop);
      return;
    }
    long delay = resolved.backoff().delayNanos(attempts.size(), pipeline.random);
    if (deadlineAt != Long.MAX_VALUE && deadlineAt - now - delay <= DEADLINE_SLACK_NANOS) {
      fail(status, trailers, "deadline");
    } else if (!pipeline.budget.tryRetry()) {
      fail(status, trailers, "budget");
    } else if (delay <= 0) {
      attempt();
    } else {
      pipeline.scheduler.schedule(context.wrap(this::attempt), delay, TimeUnit.NANOSECONDS);
    }
  }

  /** Why no further attempt is made, or {@code null} to go on. */
  private String stopReason(Status status, boolean neverReached, long now) {
    if (cancelled) {
      return "cancelled";
    }
    boolean deadlineOver = deadlineAt != Long.MAX_VALUE && deadlineAt - now <= DEADLINE_SLACK_NANOS;
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && deadlineOver) {
      return "deadline";
    }
    if (!Retryability.mayRetry(resolved.policy().retry(), resolved.policy().idempotent(), status.getCode(),
        neverReached)) {
      return "not retryable";
    }
    if (attempts.size() >= resolved.policy().retry().maxAttempts()) {
      return "max attempts";
    }
    return deadlineOver ? "deadline" : null;
  }

  private void succeed(RespT response) {
    if (pipeline.callbackExecutor == null) {
      future.complete(response);
    } else {
      pipeline.callbackExecutor.execute(() -> future.complete(response));
    }
  }

  private void fail(Status status, Metadata trailers, String stoppedBy) {
    // The status's cause (if any) becomes the exception's cause.
    CourierException e = new CourierException(status, trailers,
        attempts == null ? List.of() : attempts, stoppedBy);
    if (pipeline.callbackExecutor == null) {
      future.completeExceptionally(e);
    } else {
      pipeline.callbackExecutor.execute(() -> future.completeExceptionally(e));
    }
  }

  /** One attempt: listens to its gRPC call and watches whether the request left this process. */
  private final class Attempt extends ClientCall.Listener<RespT> {
    private final EndpointNode node;
    private final long startedAt;
    private volatile boolean headersSent;
    private boolean headersReceived;
    private RespT response;

    Attempt(EndpointNode node, long startedAt) {
      this.node = node;
      this.startedAt = startedAt;
    }

    ClientStreamTracer.Factory tracerFactory() {
      return new ClientStreamTracer.Factory() {
        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
          return new ClientStreamTracer() {
            @Override
            public void outboundHeaders() {
              headersSent = true;
            }
          };
        }
      };
    }

    @Override
    public void onHeaders(Metadata headers) {
      headersReceived = true;
    }

    @Override
    public void onMessage(RespT message) {
      response = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (status.isOk() && response != null) {
        node.onFinish(startedAt, Status.Code.OK, pipeline.nanoClock.getAsLong());
        succeed(response);
        return;
      }
      if (status.isOk()) {
        status = Status.INTERNAL.withDescription("no response message for " + method.fullName());
      }
      onClosed(node, startedAt, status, trailers, !headersSent && !headersReceived);
    }
  }

  /** The call's future; cancelling it cancels the attempt in flight. */
  static final class CallFuture<T> extends CompletableFuture<T> {
    private final UnaryCall<?, T> call;

    CallFuture(UnaryCall<?, T> call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean done = super.cancel(mayInterruptIfRunning);
      if (done) {
        call.cancel("future cancelled");
      }
      return done;
    }
  }
}
