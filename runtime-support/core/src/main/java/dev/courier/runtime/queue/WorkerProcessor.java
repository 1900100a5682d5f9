package dev.courier.runtime.queue;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.observe.QueueWorkTrace;
import dev.courier.runtime.observe.TraceLog;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Runs one delivery to its end: answers duplicates from the cache, refuses expired requests,
 * decodes, runs the handler up to {@code maxAttempts} times, publishes the reply or the dead
 * letter, and only then completes the delivery. Thread-safe; each delivery runs on one thread.
 */
final class WorkerProcessor {
  private static final System.Logger LOG = System.getLogger(WorkerProcessor.class.getName());

  /** A method's handler with its types bound. */
  record Binding<ReqT, RespT>(RpcMethod<ReqT, RespT> method, ServiceBindings.UnaryHandler<ReqT, RespT> handler) {}

  private final QueueTransport transport;
  private final QueueTransport publisher;
  private final Map<String, Binding<?, ?>> bindings;
  private final int maxAttempts;
  private final DedupCache dedup;
  private final QueueCounters counters;

  WorkerProcessor(QueueTransport transport, Map<String, Binding<?, ?>> bindings, int maxAttempts,
      DedupCache dedup, QueueCounters counters) {
    this.transport = transport;
    this.publisher = transport;
    this.bindings = Map.copyOf(bindings);
    this.maxAttempts = maxAttempts;
    this.dedup = dedup;
    this.counters = counters;
  }

  /**
   * Processes {@code delivery} inside its trace (the listener's {@link QueueWorkTrace}), so that
   * the handler's own calls and this class's log lines join the caller's trace.
   */
  void process(QueueDelivery delivery) {
    QueueWorkTrace trace = counters.listener().traceQueueWork(delivery.method(), transport.system(),
        delivery.message().headers());
    if (trace == QueueWorkTrace.NONE) {
      processTraced(delivery, trace);
      return;
    }
    try (QueueWorkTrace.Scope scope = trace.enter()) {
      processTraced(delivery, trace);
    }
  }

  private void processTraced(QueueDelivery delivery, QueueWorkTrace trace) {
    QueueMessage message = delivery.message();
    String requestId = message.header(QueueHeaders.REQUEST_ID);
    Binding<?, ?> binding = bindings.get(delivery.method());
    if (requestId == null || binding == null) {
      deadLetter(delivery, requestId == null ? "missing header " + QueueHeaders.REQUEST_ID
          : "no handler for " + delivery.method(), 0, null);
      trace.end(QueueEvent.DEAD_LETTERED, Status.INTERNAL);
      return;
    }
    Optional<DedupCache.Outcome> done = dedup.get(requestId);
    if (done.isPresent()) {
      counters.record(QueueEvent.DEDUPLICATED, delivery.method());
      finish(delivery, done.get().reply());
      trace.end(QueueEvent.DEDUPLICATED, Status.OK);
      return;
    }
    if (expired(message)) {
      counters.record(QueueEvent.EXPIRED, delivery.method());
      QueueMessage reply = reply(message, Status.DEADLINE_EXCEEDED.withDescription(
          "deadline passed before a worker took the call to " + delivery.method()), null);
      dedup.put(requestId, new DedupCache.Outcome(reply));
      finish(delivery, reply);
      trace.end(QueueEvent.EXPIRED, Status.DEADLINE_EXCEEDED);
      return;
    }
    run(delivery, binding, trace);
  }

  private <ReqT, RespT> void run(QueueDelivery delivery, Binding<ReqT, RespT> binding, QueueWorkTrace trace) {
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
    Throwable lastError = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      QueueMessage reply;
      Status status = Status.OK;
      try {
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
      dedup.put(message.header(QueueHeaders.REQUEST_ID), new DedupCache.Outcome(reply));
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
    String replyTo = delivery.message().header(QueueHeaders.REPLY_TO);
    if (reply == null || replyTo == null) {
      delivery.complete();
      return;
    }
    // complete() only records the delivery as done: quick enough for the transport's I/O thread.
    publisher.publishReply(replyTo, reply, delivery::complete, error -> LOG.log(Level.WARNING, "reply for "
        + delivery.method() + " could not be published; the request stays unacknowledged and is"
        + " delivered again", error));
  }

  /** Dead-letters the message, answers the caller with {@code status} if it waits, then completes. */
  private void deadLetter(QueueDelivery delivery, String error, int attempts, Status status) {
    QueueMessage message = delivery.message()
        .withHeader(QueueHeaders.METHOD, delivery.method())
        .withHeader(QueueHeaders.ERROR, error)
        .withHeader(QueueHeaders.ATTEMPTS, Integer.toString(attempts));
    try {
      // Waits on this lane thread: a reply must not be sent from a Kafka producer callback.
      transport.publishDeadLetter(delivery.method(), message).join();
    } catch (CompletionException | CancellationException failure) {
      LOG.log(Level.WARNING, "dead letter for " + delivery.method() + " could not be published; the"
          + " request stays unacknowledged and is delivered again" + TraceLog.suffix(), failure);
      return;
    }
    counters.record(QueueEvent.DEAD_LETTERED, delivery.method());
    LOG.log(Level.WARNING, "dead-lettered a request to " + delivery.method() + ": " + error + TraceLog.suffix());
    QueueMessage reply = status == null ? null : reply(delivery.message(), status, null);
    String requestId = delivery.message().header(QueueHeaders.REQUEST_ID);
    if (requestId != null) {
      dedup.put(requestId, new DedupCache.Outcome(reply));
    }
    finish(delivery, reply);
  }

  private static boolean expired(QueueMessage message) {
    String deadline = message.header(QueueHeaders.DEADLINE);
    if (deadline == null) {
      return false;
    }
    try {
      return System.currentTimeMillis() > Long.parseLong(deadline);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static QueueMessage reply(QueueMessage request, Status status, byte[] body) {
    Map<String, String> headers = new HashMap<>(8);
    String correlationId = request.header(QueueHeaders.CORRELATION_ID);
    if (correlationId != null) {
      headers.put(QueueHeaders.CORRELATION_ID, correlationId);
    }
    // Nothing else of the request: the client routes replies by correlation id alone, and every
    // header byte is paid for on every reply.
    if (!status.isOk()) {
      // A success, by far the common reply, goes without: one header less on every call.
      headers.put(QueueHeaders.STATUS, Integer.toString(status.getCode().value()));
    }
    if (status.getDescription() != null) {
      headers.put(QueueHeaders.STATUS_MESSAGE, status.getDescription());
    }
    return QueueMessage.wrap(null, Collections.unmodifiableMap(headers), body == null ? new byte[0] : body);
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
