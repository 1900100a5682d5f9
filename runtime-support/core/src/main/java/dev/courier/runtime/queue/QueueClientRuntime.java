package dev.courier.runtime.queue;

import static dev.courier.runtime.internal.Checks.positive;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.LiveClients;
import dev.courier.runtime.observe.QueueCallTrace;
import dev.courier.runtime.observe.QueueEvent;
import io.grpc.Metadata;
import io.grpc.Status;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes queue-backed calls: publishes each request on its method's queue and completes the
 * returned future with the reply that comes back on this client's reply queue.
 *
 * <p>The timeout of a call is, in order: the one given to {@link #withTimeout}, the method's
 * declared timeout, or 30 seconds. A call without a reply by then (checked every 10 ms) fails
 * with {@code DEADLINE_EXCEEDED}; the deadline travels with the request, and a worker that takes
 * the request later does not run it. A reply that comes after that is dropped and counted in {@link
 * QueueStats#lateReplies()}. A worker's failure arrives as a {@link CourierException} with the
 * worker's status.
 *
 * <p>Thread-safe. Futures complete on a transport thread (or the timer thread): use the {@code
 * *Async} stages for slow work. {@link #close()} on any view closes the shared reply queue and fails
 * the calls still waiting with {@code UNAVAILABLE}; it does not close the transport.
 */
public final class QueueClientRuntime implements AutoCloseable {
  /** The timeout of a call whose method declares none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Shared shared;
  private final Duration timeout;
  /** The caller's metadata as request headers ({@link QueueMetadata}); empty for none. */
  private final Map<String, String> metadataHeaders;

  private QueueClientRuntime(Shared shared, Duration timeout, Map<String, String> metadataHeaders) {
    this.shared = shared;
    this.timeout = timeout;
    this.metadataHeaders = metadataHeaders;
  }

  /** A client on {@code transport}; opens its reply queue at once. */
  public static QueueClientRuntime create(QueueTransport transport) {
    return create(transport, CourierListener.NONE);
  }

  /** A client on {@code transport} that tells {@code listener} what happens to its calls. */
  public static QueueClientRuntime create(QueueTransport transport, CourierListener listener) {
    return new QueueClientRuntime(new Shared(Objects.requireNonNull(transport, "transport"),
        Objects.requireNonNull(listener, "listener")), null, Map.of());
  }

  /** A view with another timeout for every call, sharing this client's reply queue. */
  public QueueClientRuntime withTimeout(Duration timeout) {
    return new QueueClientRuntime(shared, positive("timeout", timeout), metadataHeaders);
  }

  /**
   * A view whose calls carry {@code metadata} (added to this view's), which the worker's handler
   * reads with {@code CallContext.current().header(...)}, as a gRPC server method does. Each entry
   * travels as a request header ({@code c-m-<name>}); one value per name, the last.
   */
  public QueueClientRuntime withMetadata(Metadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    Map<String, String> merged = new java.util.LinkedHashMap<>(metadataHeaders);
    merged.putAll(QueueMetadata.toHeaders(metadata));
    return new QueueClientRuntime(shared, timeout, Collections.unmodifiableMap(merged));
  }

  /** Calls {@code method} through the queue; see the class comment for timeouts and failures. */
  public <ReqT, RespT> CompletableFuture<RespT> call(RpcMethod<ReqT, RespT> method, ReqT request) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(request, "request");
    Duration callTimeout = timeout != null ? timeout : method.policy().timeout().orElse(DEFAULT_TIMEOUT);
    return shared.call(method, request, callTimeout, metadataHeaders);
  }

  /**
   * Enqueues {@code request} without waiting for a reply; the future completes once the queue has
   * accepted it durably. A worker runs it at least once; its failures are dead-lettered.
   */
  public <ReqT> CompletableFuture<Void> send(RpcMethod<ReqT, ?> method, ReqT request) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(request, "request");
    return shared.send(method, request, metadataHeaders);
  }

  /** This client's counters (shared by all views). */
  public QueueStats stats() {
    return shared.counters.snapshot();
  }

  @Override
  public void close() {
    shared.close();
  }

  /** What all views of one client share: the reply queue, the calls waiting and the counters. */
  private static final class Shared implements PendingCall.Owner {
    private final QueueTransport transport;
    private final QueueTransport publisher;
    private final ReplyQueue replies;
    private final TimeoutWheel timer;
    /** The calls waiting for their replies, by {@link CallId#low()}. */
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final QueueCounters counters;
    private final AtomicLong nextCorrelation = new AtomicLong();
    /** What a publish does when there is no trace and no listener to tell: count it. */
    private final Runnable countSent;
    /**
     * This client's random tag, {@link CallId#high()} of each of its calls: with the counter it makes
     * every call id unique across clients without a SecureRandom call (and its lock) per call.
     */
    private final long clientTag = new SecureRandom().nextLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** This client on the status page's list; removed by {@link #close}. */
    private final AutoCloseable live;

    Shared(QueueTransport transport, CourierListener listener) {
      this.transport = transport;
      this.publisher = transport;
      this.counters = new QueueCounters(listener);
      this.countSent = counters.sent::increment;
      this.replies = transport.openReplyQueue(this::onReply);
      // After the reply queue, which may fail to open: the wheel starts its thread at once.
      // Ticks of 10 ms: a queue call's timeout is seconds long, so 10 ms late at most is fine.
      this.timer = new TimeoutWheel("courier-queue-client-timer", 10, TimeUnit.MILLISECONDS, 512);
      this.live = LiveClients.register(() -> counters.live(false, transport));
    }

    <ReqT, RespT> CompletableFuture<RespT> call(
        RpcMethod<ReqT, RespT> method, ReqT request, Duration timeout, Map<String, String> metadata) {
      CompletableFuture<RespT> result = new CompletableFuture<>();
      if (closed.get()) {
        result.completeExceptionally(closedError());
        return result;
      }
      long number = nextCorrelation.incrementAndGet();
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      QueueCallTrace trace = counters.listener().traceQueueCall(method.fullName(), transport.system(), true);
      Map<String, String> headers = metadata;
      if (trace != QueueCallTrace.NONE) {
        result.whenComplete((response, error) -> trace.end(error == null ? Status.OK : Status.fromThrowable(error)));
        headers = traced(trace, metadata, new CallId(clientTag, number));
      }
      PendingCall p = new PendingCall(method, result, timeout, number, trace, this);
      pending.put(number, p);
      p.startTimer(timer);
      QueueMessage message;
      try {
        message = QueueMessage.request(method.hashKeyOf(request).orElse(null), clientTag, number, deadline,
            replies.address(), headers, MessageCodec.encode(method.descriptor().getRequestMarshaller(), request));
      } catch (RuntimeException e) {
        trace.published(e);
        fail(number, CourierException.from(e));
        return result;
      }
      // Counting (and the listener, which must be fast) may run on the transport's I/O thread; a
      // failure, which completes the caller's future and so runs the caller's code, never does.
      // Untraced and without a listener, a publish only counts: one shared task then, so that the
      // I/O thread does not read the call's object, made on another core, for each request.
      Runnable onPublished = trace == QueueCallTrace.NONE && !counters.listens() ? countSent : p;
      publisher.publishRequest(method.fullName(), message, onPublished, p);
      return result;
    }

    @Override
    public void published(PendingCall call) {
      call.trace().published(null);
      counters.record(QueueEvent.SENT, call.method().fullName());
    }

    @Override
    public void publishFailed(PendingCall call, Throwable error) {
      call.trace().published(error);
      fail(call.number(), CourierException.from(unwrap(error)));
    }

    <ReqT> CompletableFuture<Void> send(RpcMethod<ReqT, ?> method, ReqT request, Map<String, String> metadata) {
      if (closed.get()) {
        return CompletableFuture.failedFuture(closedError());
      }
      CallId id = new CallId(clientTag, nextCorrelation.incrementAndGet());
      QueueCallTrace trace = counters.listener().traceQueueCall(method.fullName(), transport.system(), false);
      Map<String, String> headers = trace == QueueCallTrace.NONE ? metadata : traced(trace, metadata, id);
      QueueMessage message = QueueMessage.request(method.hashKeyOf(request).orElse(null), id,
          QueueMessage.NO_DEADLINE, null, headers,
          MessageCodec.encode(method.descriptor().getRequestMarshaller(), request));
      CompletableFuture<Void> result = new CompletableFuture<>();
      transport.publishRequest(method.fullName(), message).whenComplete((ok, error) -> {
        trace.published(error);
        if (error != null) {
          result.completeExceptionally(CourierException.from(unwrap(error)));
        } else {
          counters.record(QueueEvent.SENT, method.fullName());
          result.complete(null);
        }
      });
      return result;
    }

    /** The request's headers: the caller's metadata plus the trace context {@code trace} adds. */
    private static Map<String, String> traced(QueueCallTrace trace, Map<String, String> metadata, CallId id) {
      Map<String, String> headers = new HashMap<>(metadata);
      trace.publishing(headers, id.toString());
      return Collections.unmodifiableMap(headers);
    }

    private void onReply(QueueMessage reply) {
      if (!reply.hasId()) {
        return; // not a Courier reply: nothing to route it by
      }
      if (reply.idHigh() != clientTag) {
        // Another client's reply, on a reply queue shared by several clients (such as every
        // partition of Kafka's shared reply topic): theirs to count, not a late reply of ours.
        return;
      }
      PendingCall p = pending.remove(reply.idLow());
      if (p == null) {
        // The call is gone, and with it its method: a reply carries only the call's id.
        counters.record(QueueEvent.LATE_REPLY, "");
        return;
      }
      p.cancelTimer();
      counters.record(QueueEvent.REPLIED, p.method().fullName());
      p.complete(reply);
    }

    @Override
    public void timedOut(long number) {
      PendingCall p = pending.remove(number);
      if (p != null) {
        counters.record(QueueEvent.TIMED_OUT, p.method().fullName());
        p.fail(CourierException.of(Status.Code.DEADLINE_EXCEEDED,
            "no reply from the queue worker for " + p.method().fullName() + " within "
                + p.timeout().toMillis() + " ms (call id " + new CallId(clientTag, number) + ")"));
      }
    }

    private void fail(long number, CourierException error) {
      PendingCall p = pending.remove(number);
      if (p != null) {
        p.cancelTimer();
        p.fail(error);
      }
    }

    void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        live.close();
      } catch (Exception e) {
        // LiveClients' handles do not throw.
      }
      try {
        replies.close();
      } finally {
        timer.close();
        for (Long number : pending.keySet()) {
          fail(number, closedError());
        }
      }
    }

    private static CourierException closedError() {
      return CourierException.of(Status.Code.UNAVAILABLE, "queue client closed");
    }

    private static Throwable unwrap(Throwable t) {
      return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
          ? t.getCause() : t;
    }
  }
}
