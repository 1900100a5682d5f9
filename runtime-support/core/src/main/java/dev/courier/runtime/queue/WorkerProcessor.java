package dev.courier.runtime.queue;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.context.CallContext;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.observe.QueueWorkTrace;
import dev.courier.runtime.observe.TraceLog;
import dev.courier.runtime.retry.Backoff;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one delivery to its end: answers duplicates from the cache, refuses expired requests,
 * decodes, runs the handler up to {@code maxAttempts} times (waiting the redelivery backoff between
 * two, on the delivery's lane, so later calls with its key stay behind it), publishes the reply or
 * the dead letter, and only then completes the delivery. Thread-safe; each delivery runs on one
 * thread.
 *
 * <p>No failure to publish leaves a delivery hanging, which would hold its partition's commit
 * point and one of the worker's in-flight slots until a rebalance: a reply that cannot be published
 * is published again (after {@link #PUBLISH_RETRY}) until the caller's deadline has passed, and then
 * the delivery is completed, since no one waits for the reply any more (the caller has its {@code
 * DEADLINE_EXCEEDED}); a dead letter is published again until it is out, or the worker stops (its
 * request then stays unacknowledged and is delivered again).
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
final class WorkerProcessor {
  private static final System.Logger LOG = System.getLogger(WorkerProcessor.class.getName());

  /** A method's handler with its types bound. */
  record Binding<ReqT, RespT>(RpcMethod<ReqT, RespT> method, ServiceBindings.UnaryHandler<ReqT, RespT> handler) {}

  private static final byte[] EMPTY = new byte[0];

  private final QueueTransport transport;
  private final QueueTransport publisher;
  private final Map<String, Binding<?, ?>> bindings;
  private final int maxAttempts;
  /** Between two publishes of one reply or dead letter: soon, then every 2 s at most. */
  static final Backoff PUBLISH_RETRY = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2.0, 0.5);

  private final DedupCache dedup;
  private final QueueCounters counters;
  private final Backoff redeliveryBackoff;
  private final Sleeper sleeper;
  private final ScheduledExecutorService retries;
  private final ScheduledExecutorService deadlines;
  private final DeadlineContexts deadlineContexts;

  /**
   * @param redeliveryBackoff the wait before each attempt of a handler after its first
   * @param sleeper how a lane waits that backoff (and between dead-letter publishes)
   * @param retries where a reply is published again after a failed publish
   * @param deadlines the timer of the handlers' gRPC deadlines
   */
  WorkerProcessor(QueueTransport transport, Map<String, Binding<?, ?>> bindings, int maxAttempts,
      DedupCache dedup, QueueCounters counters, Backoff redeliveryBackoff, Sleeper sleeper,
      ScheduledExecutorService retries, ScheduledExecutorService deadlines) {
    this.transport = transport;
    this.publisher = transport;
    this.bindings = Map.copyOf(bindings);
    this.maxAttempts = maxAttempts;
    this.dedup = dedup;
    this.counters = counters;
    this.redeliveryBackoff = redeliveryBackoff;
    this.sleeper = sleeper;
    this.retries = retries;
    this.deadlines = deadlines;
    this.deadlineContexts = new DeadlineContexts(deadlines);
  }

  /**
   * Processes {@code delivery} inside its trace (the listener's {@link QueueWorkTrace}), so that
   * the handler's own calls and this class's log lines join the caller's trace.
   */
  void process(QueueDelivery delivery) {
    CourierListener listener = counters.listener();
    QueueWorkTrace trace = listener == CourierListener.NONE ? QueueWorkTrace.NONE
        : listener.traceQueueWork(delivery.method(), transport.system(), traceHeaders(delivery.message()));
    if (trace == QueueWorkTrace.NONE) {
      processTraced(delivery, trace);
      return;
    }
    try (QueueWorkTrace.Scope scope = trace.enter()) {
      processTraced(delivery, trace);
    }
  }

  /**
   * What a tracing listener reads the caller's trace context from: the request's headers, plus its
   * id under {@link QueueHeaders#REQUEST_ID} (on the wire it is in the envelope).
   */
  private static Map<String, String> traceHeaders(QueueMessage message) {
    if (!message.hasId()) {
      return message.headers();
    }
    Map<String, String> headers = new HashMap<>(message.headers());
    headers.put(QueueHeaders.REQUEST_ID, message.id().toString());
    return headers;
  }

  private void processTraced(QueueDelivery delivery, QueueWorkTrace trace) {
    QueueMessage message = delivery.message();
    Binding<?, ?> binding = bindings.get(delivery.method());
    if (!message.hasId() || binding == null) {
      deadLetter(delivery, !message.hasId() ? noId(message) : "no handler for " + delivery.method(), 0, null);
      trace.end(QueueEvent.DEAD_LETTERED, Status.INTERNAL);
      return;
    }
    QueueMessage done = dedup.get(message.idHigh(), message.idLow());
    if (done != null) {
      counters.record(QueueEvent.DEDUPLICATED, delivery.method());
      finish(delivery, done == DedupCache.NO_REPLY ? null : done);
      trace.end(QueueEvent.DEDUPLICATED, Status.OK);
      return;
    }
    // One clock read for the expiry check and the handler's deadline (each costs as much as a
    // dedupe lookup).
    long nowMillis = message.hasDeadline() ? System.currentTimeMillis() : 0;
    if (message.hasDeadline() && nowMillis > message.deadlineMillis()) {
      counters.record(QueueEvent.EXPIRED, delivery.method());
      QueueMessage reply = reply(message, Status.DEADLINE_EXCEEDED.withDescription(
          "deadline passed before a worker took the call to " + delivery.method()), null);
      dedup.put(message.idHigh(), message.idLow(), reply);
      finish(delivery, reply);
      trace.end(QueueEvent.EXPIRED, Status.DEADLINE_EXCEEDED);
      return;
    }
    run(delivery, binding, trace, nowMillis);
  }

  /** @param nowMillis the wall-clock time the request's deadline is measured from */
  private <ReqT, RespT> void run(QueueDelivery delivery, Binding<ReqT, RespT> binding, QueueWorkTrace trace,
      long nowMillis) {
    QueueMessage message = delivery.message();
    ReqT request;
    try {
      request = MessageCodec.decode(binding.method().descriptor().getRequestMarshaller(), message.body());
    } catch (RuntimeException e) {
      // protobuf's own reason sits under the marshaller's "INTERNAL: Invalid protobuf byte sequence".
      deadLetter(delivery, "request could not be decoded: " + describe(rootCause(e)), 0,
          Status.INVALID_ARGUMENT.withDescription("request to " + delivery.method()
              + " could not be decoded; dead-lettered"));
      trace.end(QueueEvent.DEAD_LETTERED, Status.INVALID_ARGUMENT);
      return;
    }
    // The caller's metadata and remaining deadline, as a gRPC server method would see them: one
    // gRPC context for the whole delivery (every attempt), under one that carries the deadline
    // (shared with the requests before it on this thread that had the same; its timer on the
    // worker's timing wheel rather than a ScheduledThreadPoolExecutor).
    Context parent = Context.current();
    Deadline deadline = null;
    if (message.hasDeadline()) {
      DeadlineContexts.Shared shared = deadlineContexts.context(parent, message.deadlineMillis(), nowMillis);
      parent = shared.context();
      deadline = shared.deadline();
    }
    CallContext context = QueueMetadata.context(delivery.method(), message, deadline);
    Context.CancellableContext attached = context.attachable(parent, deadlines);
    Context previous = attached.attach();
    try {
      runAttempts(delivery, binding, request, trace);
    } finally {
      attached.detach(previous);
      attached.cancel(null);
    }
  }

  /** Runs the handler's attempts; {@link CallContext#current()} is the call's context. */
  private <ReqT, RespT> void runAttempts(QueueDelivery delivery, Binding<ReqT, RespT> binding, ReqT request,
      QueueWorkTrace trace) {
    QueueMessage message = delivery.message();
    Throwable lastError = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      QueueMessage reply;
      Status status = Status.OK;
      try {
        if (attempt > 1) {
          long waitNanos = redeliveryBackoff.delayNanos(attempt - 1, ThreadLocalRandom.current());
          if (outlivesDeadline(message, waitNanos)) {
            // No one would read the answer: the caller fails at its deadline. Neither the wait
            // (which would hold the lane) nor the attempt is worth it.
            Status late = Status.DEADLINE_EXCEEDED.withDescription(delivery.method() + " failed " + (attempt - 1)
                + (attempt == 2 ? " time" : " times") + " and its next attempt would start after the caller's deadline;"
                + " dead-lettered");
            deadLetter(delivery, describe(lastError) + " (attempt " + attempt + " would start after the caller's"
                + " deadline)", attempt - 1, late);
            trace.end(QueueEvent.DEAD_LETTERED, late);
            return;
          }
          sleeper.sleep(Duration.ofNanos(waitNanos));
        }
        RespT response = binding.handler().handle(request);
        if (response == null) {
          throw new NullPointerException(delivery.method() + " returned null (expected: a response message)");
        }
        reply = reply(message, Status.OK,
            MessageCodec.encode(binding.method().descriptor().getResponseMarshaller(), response));
      } catch (StatusRuntimeException | StatusException e) {
        status = Status.fromThrowable(e);
        reply = reply(message, status, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // the worker is being killed: leave the request unacknowledged
      } catch (Exception | AssertionError e) {
        lastError = e;
        LOG.log(Level.DEBUG, "attempt " + attempt + " of " + delivery.method() + " failed" + TraceLog.suffix(), e);
        continue;
      }
      counters.record(QueueEvent.EXECUTED, delivery.method());
      dedup.put(message.idHigh(), message.idLow(), reply);
      finish(delivery, reply);
      trace.end(QueueEvent.EXECUTED, status);
      return;
    }
    Status failed = Status.UNKNOWN.withDescription(
        delivery.method() + " failed " + maxAttempts + " times; dead-lettered");
    deadLetter(delivery, describe(lastError), maxAttempts, failed);
    trace.end(QueueEvent.DEAD_LETTERED, failed);
  }

  /** Publishes {@code reply} (when the request wants one) and then completes the delivery. */
  private void finish(QueueDelivery delivery, QueueMessage reply) {
    String replyTo = delivery.message().replyTo();
    if (reply == null || replyTo == null) {
      delivery.complete();
      return;
    }
    publishReply(delivery, replyTo, reply, 1);
  }

  /**
   * Publishes {@code reply}; when that fails, again after a backoff while the caller still waits.
   * {@code complete()} only records the delivery as done: quick enough for the transport's I/O
   * thread. The failure callback runs on the transport's callback thread, so it schedules the next
   * publish rather than waiting.
   */
  private void publishReply(QueueDelivery delivery, String replyTo, QueueMessage reply, int attempt) {
    ReplyPublication publication = new ReplyPublication(delivery, replyTo, reply, attempt);
    publisher.publishReply(replyTo, reply, publication, publication);
  }

  /** One publish of a reply: what happens once it is out ({@link #run()}) or failed ({@link #accept}); one object per reply. */
  private final class ReplyPublication implements Runnable, Consumer<Throwable> {
    private final QueueDelivery delivery;
    private final String replyTo;
    private final QueueMessage reply;
    private final int attempt;

    ReplyPublication(QueueDelivery delivery, String replyTo, QueueMessage reply, int attempt) {
      this.delivery = delivery;
      this.replyTo = replyTo;
      this.reply = reply;
      this.attempt = attempt;
    }

    @Override
    public void run() {
      delivery.complete();
    }

    @Override
    public void accept(Throwable error) {
      if (expired(delivery.message())) {
        LOG.log(Level.WARNING, "reply for " + delivery.method() + " could not be published in " + attempt
            + " attempts before the caller's deadline; the caller has failed with DEADLINE_EXCEEDED, and the"
            + " request is acknowledged: " + error);
        delivery.complete();
        return;
      }
      LOG.log(Level.DEBUG, "reply for " + delivery.method() + " could not be published; publishing again", error);
      long delay = PUBLISH_RETRY.delayNanos(attempt, ThreadLocalRandom.current());
      try {
        retries.schedule(() -> publishReply(delivery, replyTo, reply, attempt + 1), delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopped) {
        // The worker is stopping: the request stays unacknowledged and is delivered again.
      }
    }
  }

  /** Dead-letters the message, answers the caller with {@code status} if it waits, then completes. */
  private void deadLetter(QueueDelivery delivery, String error, int attempts, Status status) {
    QueueMessage message = delivery.message()
        .withHeader(QueueHeaders.METHOD, delivery.method())
        .withHeader(QueueHeaders.ERROR, error)
        .withHeader(QueueHeaders.ATTEMPTS, Integer.toString(attempts));
    // Waits on this lane thread: a reply must not be sent from a Kafka producer callback.
    for (int attempt = 1; ; attempt++) {
      try {
        transport.publishDeadLetter(delivery.method(), message).join();
        break;
      } catch (CompletionException | CancellationException failure) {
        LOG.log(Level.WARNING, "dead letter for " + delivery.method() + " could not be published (attempt "
            + attempt + "); publishing again" + TraceLog.suffix(), failure);
      }
      try {
        sleeper.sleep(Duration.ofNanos(PUBLISH_RETRY.delayNanos(attempt, ThreadLocalRandom.current())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // the worker is being stopped: the request stays unacknowledged and is delivered again
      }
    }
    counters.record(QueueEvent.DEAD_LETTERED, delivery.method());
    LOG.log(Level.WARNING, TraceLog.line("dead-lettered a request to " + delivery.method() + ": " + error));
    QueueMessage reply = status == null ? null : reply(delivery.message(), status, null);
    QueueMessage request = delivery.message();
    if (request.hasId()) {
      dedup.put(request.idHigh(), request.idLow(), reply);
    }
    finish(delivery, reply);
  }

  /** Whether {@code message}'s deadline passes within {@code nanos} from now. */
  private static boolean outlivesDeadline(QueueMessage message, long nanos) {
    return message.hasDeadline() && System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(nanos)
        > message.deadlineMillis();
  }

  private static boolean expired(QueueMessage message) {
    return message.hasDeadline() && System.currentTimeMillis() > message.deadlineMillis();
  }

  /** Why a message without an id is dead-lettered. */
  private static String noId(QueueMessage message) {
    String why = message.header(QueueHeaders.ERROR);
    return "no call id: the message has no readable Courier envelope (header " + QueueHeaders.ENVELOPE
        + (why == null ? ")" : ": " + why + ")");
  }

  /**
   * The reply to {@code request}: its id, the status (a success, by far the common reply, carries
   * only the id) and the body. Nothing else of the request: the client routes replies by id alone.
   */
  private static QueueMessage reply(QueueMessage request, Status status, byte[] body) {
    return QueueMessage.reply(request.idHigh(), request.idLow(), status.getCode().value(), status.getDescription(),
        body == null ? EMPTY : body);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String describe(Throwable t) {
    return t == null ? "unknown" : t.getClass().getName() + ": " + t.getMessage();
  }
}
