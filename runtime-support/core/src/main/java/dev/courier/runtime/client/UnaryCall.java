package dev.courier.runtime.client;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.retry.HedgePolicy;
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
 * One unary call through the pipeline: deadline → attempts (retry decision, backoff, budget;
 * hedges for idempotent methods with a {@link HedgePolicy}) → pick → channel. The result
 * completes {@link #future()}.
 *
 * <p>Thread-safe: attempts (and hedges) may run at once on different gRPC threads. The call's
 * state is guarded by {@code this}; gRPC is never called while the lock is held. The first
 * answer wins and cancels the attempts still running; a failure waits for the attempts still
 * running before deciding on a retry.
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
  private final HedgePolicy hedge;
  /** The caller's gRPC context: retries run in it, so they keep its deadline and cancellation. */
  private final Context context = Context.current();
  private final CallFuture<RespT> future = new CallFuture<>(this);
  private final List<EndpointNode> tried = new ArrayList<>(2); // guarded by this
  private final List<ClientCall<ReqT, RespT>> live = new ArrayList<>(2); // guarded by this
  private List<CourierException.Attempt> attempts; // guarded by this
  private int hedges; // guarded by this
  /** Attempts that never reached a server and were not counted against maxAttempts. */
  private int uncounted; // guarded by this
  private boolean done; // guarded by this
  private boolean cancelled; // guarded by this
  private volatile long startedAt;

  UnaryCall(CallPipeline pipeline, RpcMethod<ReqT, RespT> method, ReqT request, String key, Duration deadline) {
    this.pipeline = pipeline;
    this.method = method;
    this.resolved = pipeline.resolve(method);
    this.request = request;
    this.key = key != null ? key : method.hasHashKey() ? method.hashKeyOf(request).orElse(null) : null;
    this.perAttemptNanos =
        resolved.policy().retry().perAttemptTimeout().map(Duration::toNanos).orElse(Long.MAX_VALUE);
    this.hedge = resolved.policy().idempotent() ? resolved.policy().hedge().orElse(null) : null;
    this.deadlineAt = pipeline.deadlineAt(resolved, deadline, pipeline.nanoClock.getAsLong());
  }

  CompletableFuture<RespT> future() {
    return future;
  }

  UnaryCall<ReqT, RespT> start() {
    startedAt = pipeline.nanoClock.getAsLong();
    pipeline.listener.onCallStart(method.fullName());
    pipeline.budget.onCall();
    attempt();
    if (hedge != null) {
      scheduleHedge();
    }
    return this;
  }

  void cancel(String why) {
    List<ClientCall<ReqT, RespT>> running;
    synchronized (this) {
      cancelled = true;
      running = List.copyOf(live);
    }
    for (ClientCall<ReqT, RespT> call : running) {
      call.cancel(why, null);
    }
  }

  private void scheduleHedge() {
    pipeline.scheduler.schedule(context.wrap(this::hedge), hedge.hedgeAfter().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Starts one more attempt while the others still run, if allowed; then arms the next hedge. */
  private void hedge() {
    synchronized (this) {
      if (done || cancelled || live.isEmpty() || hedges >= hedge.maxHedged()
          || tried.size() >= resolved.policy().retry().maxAttempts() + hedge.maxHedged()) {
        return;
      }
      hedges++;
    }
    if (!pipeline.budget.tryRetry()) {
      pipeline.listener.onBudgetExhausted(method.fullName());
      return;
    }
    attempt();
    synchronized (this) {
      if (done || hedges >= hedge.maxHedged()) {
        return;
      }
    }
    scheduleHedge();
  }

  private void attempt() {
    long now = pipeline.nanoClock.getAsLong();
    long remaining = deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineAt - now;
    EndpointNode node = null;
    boolean stopCancelled;
    int number;
    synchronized (this) {
      if (done) {
        return;
      }
      stopCancelled = cancelled;
      number = (attempts == null ? 0 : attempts.size()) + live.size() + 1;
      if (!stopCancelled && remaining > 0) {
        node = pipeline.pick(resolved.balancer(), key, now, tried);
        if (node != null) {
          tried.add(node);
        }
      }
    }
    if (stopCancelled) {
      finish(Status.CANCELLED.withDescription("cancelled by the caller"), null, "cancelled");
      return;
    }
    if (remaining <= 0) {
      finish(Status.DEADLINE_EXCEEDED.withDescription("deadline passed before attempt " + number), null, "deadline");
      return;
    }
    if (node == null) {
      onClosed(null, null, Status.UNAVAILABLE.withDescription(pipeline.noEndpoints),
          new Metadata(), true);
      return;
    }
    node.beforeAttempt(now);
    boolean hedged;
    synchronized (this) {
      hedged = !live.isEmpty();
    }
    pipeline.listener.onAttempt(method.fullName(), node.endpoint().authority(), number, hedged);
    Attempt attempt = new Attempt(node, now);
    CallOptions options = CallOptions.DEFAULT.withStreamTracerFactory(attempt.tracerFactory());
    long attemptTimeout = Math.min(remaining, perAttemptNanos);
    if (attemptTimeout != Long.MAX_VALUE) {
      options = options.withDeadlineAfter(attemptTimeout, TimeUnit.NANOSECONDS);
    }
    ClientCall<ReqT, RespT> call = node.channel().newCall(method.descriptor(), options);
    attempt.call = call;
    synchronized (this) {
      if (done) {
        return; // another attempt answered meanwhile
      }
      live.add(call);
    }
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

  private void onSucceeded(ClientCall<ReqT, RespT> call, RespT response) {
    List<ClientCall<ReqT, RespT>> losers;
    synchronized (this) {
      live.remove(call);
      if (done) {
        return;
      }
      done = true;
      losers = live.isEmpty() ? List.of() : List.copyOf(live);
      live.clear();
    }
    for (ClientCall<ReqT, RespT> loser : losers) {
      loser.cancel("another attempt answered first", null);
    }
    int made;
    synchronized (this) {
      made = (attempts == null ? 0 : attempts.size()) + 1;
    }
    pipeline.listener.onCallEnd(method.fullName(), Status.Code.OK, pipeline.nanoClock.getAsLong() - startedAt,
        made, null);
    if (pipeline.callbackExecutor == null) {
      future.complete(response);
    } else {
      pipeline.callbackExecutor.execute(() -> future.complete(response));
    }
  }

  private void onClosed(EndpointNode node, ClientCall<ReqT, RespT> call, Status status, Metadata trailers,
      boolean neverReached) {
    long now = pipeline.nanoClock.getAsLong();
    String stop;
    int made;
    synchronized (this) {
      if (call != null) {
        live.remove(call);
      }
      if (done) {
        return;
      }
      if (attempts == null) {
        attempts = new ArrayList<>(2);
      }
      attempts.add(new CourierException.Attempt(
          node == null ? "(none)" : node.endpoint().authority(), status.getCode(), status.getDescription()));
      if (!live.isEmpty()) {
        return; // a hedge still runs: its outcome decides
      }
      made = attempts.size();
      stop = stopReason(status, neverReached, now, made);
    }
    if (stop != null) {
      String note = "not retryable".equals(stop) && !neverReached && !resolved.policy().idempotent()
          ? "the request reached a server, which may have run it:"
              + " a method that is not idempotent is not retried"
          : null;
      finish(status, trailers, stop, note);
      return;
    }
    long delay = resolved.backoff().delayNanos(made, pipeline.random);
    if (deadlineAt != Long.MAX_VALUE && deadlineAt - now - delay <= DEADLINE_SLACK_NANOS) {
      finish(status, trailers, "deadline");
    } else if (!pipeline.budget.tryRetry()) {
      pipeline.listener.onBudgetExhausted(method.fullName());
      finish(status, trailers, "budget");
    } else if (delay <= 0) {
      pipeline.listener.onRetry(method.fullName(), made + 1, 0);
      attempt();
    } else {
      pipeline.listener.onRetry(method.fullName(), made + 1, delay);
      pipeline.scheduler.schedule(context.wrap(this::attempt), delay, TimeUnit.NANOSECONDS);
    }
  }

  /** Why no further attempt is made, or {@code null} to go on. Called with the lock held. */
  private String stopReason(Status status, boolean neverReached, long now, int made) {
    if (cancelled || context.isCancelled()) {
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
    int maxAttempts = resolved.policy().retry().maxAttempts();
    if (neverReached && maxAttempts > 1 && pipeline.hasUntried(tried)) {
      // Nothing reached a server (no connection, or a replica going away), so nothing ran and no
      // server was loaded: for a call that may be retried at all, such an attempt does not use up
      // maxAttempts while the call still has endpoints it has not tried. Each one tries a new
      // endpoint, so this ends; the retry budget and the deadline still apply.
      uncounted++;
    }
    if (made - hedges - uncounted >= maxAttempts) {
      return "max attempts";
    }
    return deadlineOver ? "deadline" : null;
  }

  private void finish(Status status, Metadata trailers, String stoppedBy) {
    finish(status, trailers, stoppedBy, null);
  }

  private void finish(Status status, Metadata trailers, String stoppedBy, String note) {
    List<CourierException.Attempt> all;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      all = attempts == null ? List.of() : List.copyOf(attempts);
    }
    pipeline.listener.onCallEnd(method.fullName(), status.getCode(), pipeline.nanoClock.getAsLong() - startedAt,
        all.size(), stoppedBy);
    // The status's cause (if any) becomes the exception's cause.
    CourierException e = new CourierException(status, trailers, all, stoppedBy, note);
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
    ClientCall<ReqT, RespT> call;

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
      long now = pipeline.nanoClock.getAsLong();
      if (status.getCode() == Status.Code.CANCELLED && !cancelledHere()) {
        // Nobody on this side cancelled it: a server going away resets its streams (RST_STREAM
        // CANCEL), which grpc reports as CANCELLED. For the pipeline that is a replica that became
        // unavailable: it counts against the replica's health and follows the UNAVAILABLE rules.
        status = Status.UNAVAILABLE.withDescription("the server reset the call (" + status.getDescription() + ")")
            .withCause(status.getCause());
      }
      pipeline.listener.onAttemptEnd(method.fullName(), node.endpoint().authority(),
          status.isOk() && response == null ? Status.Code.INTERNAL : status.getCode(), now - startedAt);
      if (status.isOk() && response != null) {
        node.onFinish(startedAt, Status.Code.OK, now);
        onSucceeded(call, response);
        return;
      }
      if (status.isOk()) {
        status = Status.INTERNAL.withDescription("no response message for " + method.fullName());
      }
      node.onFinish(startedAt, status.getCode(), now);
      onClosed(node, call, status, trailers, !headersSent && !headersReceived);
    }
  }

  /** Whether the caller cancelled, directly or through its context, or the call is already over. */
  private boolean cancelledHere() {
    synchronized (this) {
      if (cancelled || done) {
        return true;
      }
    }
    return context.isCancelled();
  }

  /** The call's future; cancelling it cancels the attempts in flight. */
  static final class CallFuture<T> extends CompletableFuture<T> {
    private final UnaryCall<?, T> call;

    CallFuture(UnaryCall<?, T> call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelledNow = super.cancel(mayInterruptIfRunning);
      if (cancelledNow) {
        call.cancel("future cancelled");
      }
      return cancelledNow;
    }
  }
}
