package dev.courier.runtime.client;

import dev.courier.runtime.observe.AttemptTrace;
import dev.courier.runtime.retry.Retryability;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ScheduledFuture;

/**
 * One attempt of a {@link UnaryCall}: listens to its gRPC call, watches whether the request left
 * this process, and owns the attempt's deadline timer on the client's scheduler. When the timer
 * fires first the attempt is cancelled and fails with {@code DEADLINE_EXCEEDED}, exactly when the
 * client's clock says so (gRPC's own deadline on the call, which servers see, says the same on the
 * system clock).
 *
 * <p>gRPC calls the listener methods one at a time; the timer and {@link #disarm()} may run on
 * other threads, so the fields they share are volatile or guarded by {@code this}.
 */
final class AttemptListener<ReqT, RespT> extends ClientCall.Listener<RespT> {
  private final UnaryCall<ReqT, RespT> owner;
  private final CallPipeline pipeline;
  private final String methodName;
  private final EndpointNode node;
  private final long startedAt;
  /** The node's latency estimate when the attempt started: its sample counts as at most a few times this. */
  private final long expectedNanos;
  private volatile ClientCall<ReqT, RespT> call;
  /** Set before the call starts; gRPC's callbacks come after. */
  private AttemptTrace trace = AttemptTrace.NONE;
  private volatile boolean headersSent;
  /** Whether the server's trailers arrived: then its status is one the server chose, not a reset. */
  private volatile boolean trailersReceived;
  private volatile boolean timedOut;
  private boolean headersReceived;
  private Metadata headers;
  private RespT response;
  private ScheduledFuture<?> timer; // guarded by this
  private boolean closed; // guarded by this
  private long timeoutNanos; // guarded by this
  private boolean started; // guarded by this
  /** A cancel asked for while the call was still being started; {@code null} for none. */
  private String cancelWhy; // guarded by this

  AttemptListener(UnaryCall<ReqT, RespT> owner, CallPipeline pipeline, String methodName, EndpointNode node,
      long startedAt, long expectedNanos) {
    this.owner = owner;
    this.pipeline = pipeline;
    this.methodName = methodName;
    this.node = node;
    this.startedAt = startedAt;
    this.expectedNanos = expectedNanos;
  }

  ClientCall<ReqT, RespT> call() {
    return call;
  }

  EndpointNode node() {
    return node;
  }

  /**
   * Cancels the attempt's call. One asked for while the call is still being started (an attempt
   * that answered first on another thread cancels the losers) runs once {@link #started()}: grpc's
   * call must not be cancelled while its {@code start} runs on another thread (its retriable
   * stream then fails with a NullPointerException inside the winner's callback).
   */
  void cancel(String why) {
    synchronized (this) {
      if (!started) {
        if (cancelWhy == null) {
          cancelWhy = why;
        }
        return;
      }
    }
    call.cancel(why, null);
  }

  /** The owner has started the call (start, request, message, half-close); runs a cancel asked for meanwhile. */
  void started() {
    String why;
    synchronized (this) {
      started = true;
      why = cancelWhy;
    }
    if (why != null) {
      call.cancel(why, null);
    }
  }

  /**
   * Fails the attempt with {@code DEADLINE_EXCEEDED} now: the call's deadline passed while it
   * ran. Counts against the endpoint like a timeout of the attempt's own.
   */
  void expire() {
    disarm();
    timedOut = true;
    cancel("the call's deadline passed");
  }

  void setCall(ClientCall<ReqT, RespT> call) {
    this.call = call;
  }

  void trace(AttemptTrace trace) {
    this.trace = trace;
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

          @Override
          public void inboundTrailers(Metadata trailers) {
            trailersReceived = true;
          }
        };
      }
    };
  }

  /** Cancels the attempt with {@code DEADLINE_EXCEEDED} after {@code nanos}, unless it closed before. */
  void armTimeout(long nanos) {
    ScheduledFuture<?> armed = pipeline.schedule(this::timeOut, nanos);
    synchronized (this) {
      if (!closed) {
        timer = armed;
        timeoutNanos = nanos;
        return;
      }
    }
    armed.cancel(false);
  }

  /** Cancels the deadline timer; the attempt is over or about to be cancelled. */
  void disarm() {
    ScheduledFuture<?> armed;
    synchronized (this) {
      closed = true;
      armed = timer;
      timer = null;
    }
    if (armed != null) {
      armed.cancel(false);
    }
  }

  private void timeOut() {
    timedOut = true;
    cancel("the attempt's deadline passed");
  }

  @Override
  public void onHeaders(Metadata headers) {
    headersReceived = true;
    this.headers = headers;
  }

  /** The response headers, once they arrived; read after {@link #onClose}. */
  Metadata headers() {
    return headers;
  }

  @Override
  public void onMessage(RespT message) {
    response = message;
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    disarm();
    long now = pipeline.now();
    status = reinterpret(status);
    pipeline.listener().onAttemptEnd(methodName, node.endpoint().authority(),
        status.isOk() && response == null ? Status.Code.INTERNAL : status.getCode(), now - startedAt);
    if (status.isOk() && response != null) {
      finished(Status.Code.OK, now, false);
      owner.onSucceeded(this, response, trailers);
      return;
    }
    if (status.isOk()) {
      status = Status.INTERNAL.withDescription("no response message for " + methodName);
    }
    boolean neverReached = !headersSent && !headersReceived;
    finished(status.getCode(), now, neverReached);
    // A stream the server refused unprocessed is as safe to retry as one never sent; it still
    // counts against the endpoint as the failure of a call that reached it.
    owner.onClosed(node, this, status, trailers, neverReached || Retryability.refusedUnprocessed(status));
  }

  /** The node's load and health, then the attempt's trace (which ends before its call's). */
  private void finished(Status.Code code, long now, boolean neverReached) {
    long ejectedFor = node.onFinish(startedAt, expectedNanos, code, now, neverReached);
    if (ejectedFor > 0) {
      trace.ejected(node.endpoint().authority(), ejectedFor);
      EndpointNode.logEjection(node.endpoint().authority(), ejectedFor, trace.logSuffix());
    }
    trace.end(code);
  }

  /**
   * A {@code CANCELLED} as what it means for the pipeline: {@code DEADLINE_EXCEEDED} when the
   * attempt's timer cancelled it; unchanged when the server sent it in its trailers (a status the
   * server chose); {@code UNAVAILABLE} when nobody on this side cancelled it and no trailers came
   * (a reset stream: grpc's {@code "RST_STREAM closed stream. HTTP/2 error code: CANCEL"} with
   * empty trailers); unchanged when the caller cancelled.
   */
  private Status reinterpret(Status status) {
    if (status.getCode() == Status.Code.UNKNOWN && !trailersReceived && closedChannel(status.getCause())) {
      // grpc-java's Netty transport reports some connections that died under a call (a replica
      // killed mid-write) as UNKNOWN "channel closed", caused by a ClosedChannelException, where
      // it means UNAVAILABLE (grpc-java issues 7376, 10120). No server chose it: it follows the
      // UNAVAILABLE rules, so an idempotent call is retried elsewhere and the replica's health
      // counts it; a call that is not idempotent still is not, since its request may have run.
      return Status.UNAVAILABLE.withDescription("the connection closed under the call ("
          + status.getDescription() + ")").withCause(status.getCause());
    }
    if (status.getCode() != Status.Code.CANCELLED) {
      return status;
    }
    if (timedOut) {
      long nanos;
      synchronized (this) {
        nanos = timeoutNanos;
      }
      return Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after " + nanos + " ns"
          + " (the call's deadline or its per-attempt timeout)");
    }
    if (trailersReceived) {
      // The server chose CANCELLED and sent it in its trailers (grpc reports a reset without
      // any): it arrives as it is, and it is not retried.
      return status;
    }
    if (!owner.cancelledHere()) {
      // Nobody on this side cancelled it and no trailers came: a server going away resets its
      // streams (RST_STREAM CANCEL), which grpc reports as CANCELLED with empty trailers. For the
      // pipeline that is a replica that became unavailable: it counts against the replica's
      // health and follows the UNAVAILABLE rules.
      return Status.UNAVAILABLE.withDescription("the server reset the call (" + status.getDescription() + ")")
          .withCause(status.getCause());
    }
    return status;
  }

  private static boolean closedChannel(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ClosedChannelException) {
        return true;
      }
    }
    return false;
  }
}
