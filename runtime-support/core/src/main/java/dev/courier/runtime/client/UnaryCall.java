package dev.courier.runtime.client;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.CallTrace;
import dev.courier.runtime.retry.RetryDecider;
import dev.courier.runtime.retry.StopReason;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One unary call through the pipeline: the concurrency of its attempts. Every rule (retry or
 * stop, after how long, whether a hedge may start, how long an attempt may run) is asked of the
 * method's {@link RetryDecider}; this class runs what it answers: attempts and hedges at once,
 * cancellation, and four kinds of timers on the client's scheduler (backoff, hedge delay, an
 * attempt's own timeout when it is shorter than what is left of the call, and the call's
 * deadline). The result completes {@link #future()}.
 *
 * <p><b>Deadlines end on time.</b> The call's own timer fails it with {@code DEADLINE_EXCEEDED}
 * at its deadline on the client's clock and only then cancels the attempts still running (which
 * count against their endpoints as timeouts). It does not wait for gRPC to report each attempt's
 * end, which comes late when the network threads are busy; the future then completes on the
 * scheduler's thread (or the callback executor). A blocking caller does not wait for that timer:
 * its own wait ends at the deadline and fails the call on its thread ({@link #await}).
 *
 * <p>Thread-safe: attempts (and hedges) may run at once on different gRPC threads. The call's
 * state is guarded by {@code this}; gRPC and the listener are never called while the lock is held.
 * The first answer wins and cancels the attempts still running; a failure waits for the attempts
 * still running before deciding on a retry. When the call is over no timer of it is left
 * scheduled, except a backoff timer, which always runs (and then finds the call cancelled).
 */
final class UnaryCall<ReqT, RespT> {
  private static final String MAY_HAVE_RUN = "the request reached a server, which may have run it:"
      + " a method that is not idempotent is not retried";

  private final CallPipeline pipeline;
  private final RpcMethod<ReqT, RespT> method;
  private final CallPipeline.Resolved resolved;
  private final RetryDecider decider;
  private final ReqT request;
  private final String key;
  /** Sent with every attempt and hedge, on top of what interceptors add; {@code null} for none. */
  private final Metadata metadata;
  /** Gets the response metadata; {@code null} when the caller did not ask for it. */
  private final ResponseCapture capture;
  private final long deadlineAt;
  /** The caller's gRPC context: retries run in it, so they keep its deadline and cancellation. */
  private final Context context = Context.current();
  private final CallFuture<RespT> future = new CallFuture<>(this);
  /** Asked for on the caller's thread, so a tracer finds the caller's span there; NONE without one. */
  private final CallTrace trace;
  private final List<EndpointNode> tried = new ArrayList<>(2); // guarded by this
  private final List<AttemptListener<ReqT, RespT>> live = new ArrayList<>(2); // guarded by this
  private List<CourierException.Attempt> attempts; // guarded by this
  private int hedges; // guarded by this
  /** Attempts that never reached a server and were not counted against maxAttempts. */
  private int uncounted; // guarded by this
  private boolean done; // guarded by this
  private boolean cancelled; // guarded by this
  private ScheduledFuture<?> hedgeTimer; // guarded by this
  private ScheduledFuture<?> deadlineTimer; // guarded by this
  private volatile long startedAt;

  UnaryCall(CallPipeline pipeline, RpcMethod<ReqT, RespT> method, ReqT request, String key, Duration deadline,
      Metadata metadata, ResponseCapture capture) {
    this.pipeline = pipeline;
    this.method = method;
    this.resolved = pipeline.resolve(method);
    this.decider = resolved.decider();
    this.request = request;
    this.key = key != null ? key : method.hasHashKey() ? method.hashKeyOf(request).orElse(null) : null;
    this.metadata = metadata;
    this.capture = capture;
    this.deadlineAt = pipeline.deadlineAt(resolved, deadline, pipeline.now());
    this.trace = pipeline.listener().traceCall(method.fullName());
  }

  CompletableFuture<RespT> future() {
    return future;
  }

  /**
   * Waits for the outcome on the caller's thread (a blocking call): a call with a deadline fails
   * itself there when its deadline passes, without waiting for its timer ({@link BlockingWait}).
   */
  RespT await() throws InterruptedException, ExecutionException {
    if (deadlineAt == RetryDecider.NO_DEADLINE) {
      return future.get();
    }
    return BlockingWait.await(future, pipeline::now, deadlineAt, this::expire);
  }

  UnaryCall<ReqT, RespT> start() {
    startedAt = pipeline.now();
    pipeline.listener().onCallStart(method.fullName());
    decider.onCall();
    if (deadlineAt != RetryDecider.NO_DEADLINE && deadlineAt - startedAt > 0) {
      armDeadline(deadlineAt - startedAt);
    }
    attempt();
    if (decider.hedges()) {
      scheduleHedge();
    }
    return this;
  }

  void cancel(String why) {
    List<AttemptListener<ReqT, RespT>> running;
    synchronized (this) {
      cancelled = true;
      running = List.copyOf(live);
    }
    for (AttemptListener<ReqT, RespT> attempt : running) {
      attempt.cancel(why);
    }
  }

  private void armDeadline(long delayNanos) {
    keepUnlessDone(pipeline.schedule(this::expire, delayNanos), timer -> deadlineTimer = timer);
  }

  /** Hands {@code timer} to {@code keep} (its field) while the call runs; a call already done cancels it. */
  private void keepUnlessDone(ScheduledFuture<?> timer, Consumer<ScheduledFuture<?>> keep) {
    synchronized (this) {
      if (!done) {
        keep.accept(timer);
        return;
      }
    }
    timer.cancel(false);
  }

  /**
   * The call's deadline passed: it fails now, with the attempts still running listed as timed
   * out, and then they are cancelled. Runs on the call's timer, or on a blocking caller's thread
   * ({@link #await}), whichever comes first; the other finds the call done.
   */
  private void expire() {
    List<AttemptListener<ReqT, RespT>> running;
    List<CourierException.Attempt> all;
    ScheduledFuture<?> timer;
    ScheduledFuture<?> deadline;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      running = List.copyOf(live);
      live.clear();
      if (attempts == null) {
        attempts = new ArrayList<>(2);
      }
      for (AttemptListener<ReqT, RespT> attempt : running) {
        attempts.add(new CourierException.Attempt(attempt.node().endpoint().authority(),
            Status.Code.DEADLINE_EXCEEDED, "still running when the call's deadline passed"));
      }
      all = List.copyOf(attempts);
      timer = hedgeTimer;
      deadline = deadlineTimer;
    }
    CallPipeline.cancel(timer);
    CallPipeline.cancel(deadline); // when the caller got here first
    fail(Status.DEADLINE_EXCEEDED.withDescription("the call's deadline passed"), null, StopReason.DEADLINE, null,
        all);
    for (AttemptListener<ReqT, RespT> attempt : running) {
      attempt.expire();
    }
  }

  private void scheduleHedge() {
    keepUnlessDone(pipeline.schedule(context.wrap(this::hedge), decider.hedgeDelayNanos(pipeline.now())),
        timer -> hedgeTimer = timer);
  }

  /** Starts one more attempt while the others still run, if allowed; then arms the next hedge. */
  private void hedge() {
    synchronized (this) {
      if (done || cancelled || live.isEmpty() || !decider.mayHedge(hedges, tried.size())) {
        return;
      }
      hedges++;
    }
    if (!decider.trySpendOnHedge()) {
      pipeline.listener().onBudgetExhausted(method.fullName());
      trace.budgetRefused(true);
      return;
    }
    attempt();
    synchronized (this) {
      if (done || !decider.hedgesLeft(hedges)) {
        return;
      }
    }
    scheduleHedge();
  }

  private void attempt() {
    long now = pipeline.now();
    EndpointNode node = null;
    Optional<StopReason> stop;
    int number;
    boolean hedged;
    synchronized (this) {
      if (done) {
        return;
      }
      number = made() + live.size() + 1;
      hedged = !live.isEmpty();
      stop = decider.beforeAttempt(cancelled, now, deadlineAt);
      if (stop.isEmpty()) {
        node = pipeline.pick(resolved.balancer(), key, now, tried);
        if (node != null) {
          tried.add(node);
        }
      }
    }
    if (stop.isPresent()) {
      Status status = stop.get() == StopReason.CANCELLED
          ? Status.CANCELLED.withDescription("cancelled by the caller")
          : Status.DEADLINE_EXCEEDED.withDescription("deadline passed before attempt " + number);
      finish(status, null, stop.get(), null);
    } else if (node == null) {
      onClosed(null, null, Status.UNAVAILABLE.withDescription(pipeline.noEndpoints()), new Metadata(), true);
    } else {
      launch(node, now, number, hedged);
    }
  }

  /** Starts attempt {@code number} on {@code node}, with its deadline timer. */
  private void launch(EndpointNode node, long now, int number, boolean hedged) {
    boolean probe = node.beforeAttempt(now);
    pipeline.listener().onAttempt(method.fullName(), node.endpoint().authority(), number, hedged);
    long timeout = decider.attemptTimeoutNanos(now, deadlineAt, probe);
    AttemptListener<ReqT, RespT> attempt = new AttemptListener<>(this, pipeline, method.fullName(), node, now,
        node.expectedNanos(now));
    CallOptions options = pipeline.callOptions().withStreamTracerFactory(attempt.tracerFactory());
    if (timeout != Long.MAX_VALUE) {
      options = options.withDeadlineAfter(timeout, TimeUnit.NANOSECONDS); // what the server sees
    }
    attempt.setCall(node.channel().newCall(method.descriptor(), options));
    synchronized (this) {
      if (done) {
        return; // another attempt answered meanwhile
      }
      live.add(attempt);
    }
    node.onStart(now);
    Metadata headers = CallPipeline.headers(metadata);
    attempt.trace(trace.attempt(node.endpoint().authority(), number, hedged, headers));
    try {
      attempt.call().start(attempt, headers);
      attempt.call().request(2);
      attempt.call().sendMessage(request);
      attempt.call().halfClose();
    } catch (RuntimeException | Error e) {
      attempt.call().cancel("failed to start the call", e);
    }
    attempt.started();
    if (timeout != Long.MAX_VALUE && (deadlineAt == RetryDecider.NO_DEADLINE || timeout < deadlineAt - now)) {
      attempt.armTimeout(timeout); // shorter than the call's deadline, whose own timer covers the rest
    }
  }

  /** Called by the attempt that answered first. */
  void onSucceeded(AttemptListener<ReqT, RespT> winner, RespT response, Metadata trailers) {
    List<AttemptListener<ReqT, RespT>> losers;
    int made;
    ScheduledFuture<?> timer;
    ScheduledFuture<?> deadline;
    synchronized (this) {
      live.remove(winner);
      if (done) {
        return;
      }
      done = true;
      losers = live.isEmpty() ? List.of() : List.copyOf(live);
      live.clear();
      made = made() + 1;
      timer = hedgeTimer;
      deadline = deadlineTimer;
    }
    CallPipeline.cancel(timer);
    CallPipeline.cancel(deadline);
    long now = pipeline.now();
    decider.onAnswer(now, now - startedAt);
    pipeline.listener().onCallEnd(method.fullName(), Status.Code.OK, now - startedAt, made, (StopReason) null);
    trace.end(Status.OK, made, null);
    if (capture != null) {
      capture.record(winner.headers(), trailers);
    }
    pipeline.deliver(() -> future.complete(response));
    for (AttemptListener<ReqT, RespT> loser : losers) {
      loser.disarm();
      loser.cancel("another attempt answered first");
    }
  }

  /** Called when an attempt failed ({@code attempt} and {@code node} are null when no endpoint was found). */
  void onClosed(EndpointNode node, AttemptListener<ReqT, RespT> attempt, Status status, Metadata trailers,
      boolean neverReached) {
    long now = pipeline.now();
    RetryDecider.Decision decision;
    int made;
    synchronized (this) {
      if (attempt != null) {
        live.remove(attempt);
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
      RetryDecider.History history = new RetryDecider.History(made, hedges, uncounted, neverReached,
          neverReached && pipeline.hasUntried(tried), status.getCode(), cancelled || context.isCancelled());
      if (decider.isUncounted(history)) {
        uncounted++;
      }
      decision = decider.afterFailure(history, now, deadlineAt);
    }
    if (decision instanceof RetryDecider.Stop stop) {
      if (stop.reason() == StopReason.BUDGET) {
        pipeline.listener().onBudgetExhausted(method.fullName());
        trace.budgetRefused(false);
      }
      finish(status, trailers, stop.reason(), decider.mayHaveRun(stop.reason(), neverReached) ? MAY_HAVE_RUN : null);
      return;
    }
    long delay = ((RetryDecider.Retry) decision).delayNanos();
    pipeline.listener().onRetry(method.fullName(), made + 1, delay);
    trace.retry(made + 1, delay, status.getCode());
    if (delay == 0) {
      attempt();
    } else {
      pipeline.schedule(context.wrap(this::attempt), delay);
    }
  }

  private void finish(Status status, Metadata trailers, StopReason reason, String note) {
    List<CourierException.Attempt> all;
    ScheduledFuture<?> timer;
    ScheduledFuture<?> deadline;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      all = attempts == null ? List.of() : List.copyOf(attempts);
      timer = hedgeTimer;
      deadline = deadlineTimer;
    }
    CallPipeline.cancel(timer);
    CallPipeline.cancel(deadline);
    fail(status, trailers, reason, note, all);
  }

  /** Completes the call's future with a {@link CourierException}; the call is already marked done. */
  private void fail(Status status, Metadata trailers, StopReason reason, String note,
      List<CourierException.Attempt> all) {
    pipeline.listener().onCallEnd(method.fullName(), status.getCode(), pipeline.now() - startedAt, all.size(),
        reason);
    if (reason == StopReason.DEADLINE && deadlineAt != RetryDecider.NO_DEADLINE) {
      status = DeadlineText.describe(status, deadlineAt - startedAt, all); // grpc's text stays in the attempts
    }
    trace.end(status, all.size(), reason);
    CourierException e = new CourierException(status, trailers, all, reason, note); // status's cause is e's
    if (capture != null) {
      capture.record(null, trailers);
    }
    pipeline.deliver(() -> future.completeExceptionally(e));
  }

  /** Attempts that ended so far. Called with the lock held. */
  private int made() {
    return attempts == null ? 0 : attempts.size();
  }

  /** Whether the caller cancelled, directly or through its context, or the call is already over. */
  boolean cancelledHere() {
    synchronized (this) {
      if (cancelled || done) {
        return true;
      }
    }
    return context.isCancelled();
  }
}
