package dev.courier.runtime.observe;

import dev.courier.runtime.retry.StopReason;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * Told what Courier's clients, servers and queues do, for metrics, logs or traces. Every method
 * has an empty default, so a listener implements only what it needs.
 *
 * <p>Called on the threads that do the work (often gRPC's network threads): implementations must be
 * thread-safe, fast, and must not block. An exception thrown by a listener is logged (the first as a
 * warning) and otherwise ignored; it never fails a call, nor keeps other listeners from being told.
 *
 * <p>{@code method} is always gRPC's full method name ({@code pkg.Service/Method}); {@code endpoint}
 * is {@code host:port}.
 */
public interface CourierListener {
  /** Listens to nothing. */
  CourierListener NONE = new CourierListener() {};

  /** A unary call starts (before its first attempt). */
  default void onCallStart(String method) {}

  /** An attempt starts on {@code endpoint}; {@code attempt} counts from 1; {@code hedged} for a hedge. */
  default void onAttempt(String method, String endpoint, int attempt, boolean hedged) {}

  /** An attempt ended with {@code code} after {@code nanos}. */
  default void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {}

  /** Another attempt is scheduled after {@code backoffNanos}. */
  default void onRetry(String method, int nextAttempt, long backoffNanos) {}

  /** A retry or hedge was not made because the retry budget was spent. */
  default void onBudgetExhausted(String method) {}

  /** {@code endpoint} failed repeatedly and takes no calls for {@code nanos}. */
  default void onEjection(String endpoint, long nanos) {}

  /**
   * A unary call ended: {@code code} is {@code OK} or the final status; {@code stopReason} says what
   * stopped further attempts ({@code null} on success).
   */
  default void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {}

  /**
   * A client-, server- or bidi-streaming call ({@code type}) ended with {@code code}, {@code nanos}
   * after it was opened; it had one attempt or none (streams are never retried). Streams are told
   * here only, never to {@link #onCallStart} or {@link #onCallEnd}, so a listener that counts unary
   * calls there counts no stream.
   */
  default void onStreamEnd(String method, MethodDescriptor.MethodType type, Status.Code code, long nanos) {}

  /** Something happened to a queue-backed call. */
  default void onQueueEvent(String method, QueueEvent event) {}

  /**
   * A server refused a call before its implementation ran: {@code UNAUTHENTICATED} or {@code
   * PERMISSION_DENIED} from the method's access rules.
   */
  default void onCallRefused(String method, Status.Code code) {}

  /**
   * The trace of a unary call to {@code method} that starts now, on the caller's thread; a
   * tracing listener (such as {@code CourierOpenTelemetry.listener()} in {@code courier-opentelemetry}) returns
   * one, every other listener {@link CallTrace#NONE}. Of several listeners, the first that traces
   * is asked.
   */
  default CallTrace traceCall(String method) {
    return CallTrace.NONE;
  }

  /**
   * The trace of a queue-backed call to {@code method} that starts now, on the caller's thread,
   * over a transport of messaging system {@code system} ({@code "kafka"}, ...); {@code waits} when
   * the caller waits for a reply. See {@link #traceCall}.
   */
  default QueueCallTrace traceQueueCall(String method, String system, boolean waits) {
    return QueueCallTrace.NONE;
  }

  /**
   * The trace of a worker's processing of one delivery to {@code method}, whose request carries
   * {@code headers} (with the trace context {@link QueueCallTrace#publishing} put there). See
   * {@link #traceCall}.
   */
  default QueueWorkTrace traceQueueWork(String method, String system, Map<String, String> headers) {
    return QueueWorkTrace.NONE;
  }

  /** A listener that tells each of {@code listeners} in turn. */
  static CourierListener all(List<CourierListener> listeners) {
    return new Composite(listeners.stream().map(CourierListener::safe).toList());
  }

  /**
   * {@code listener}, with its exceptions logged instead of thrown, so that it can never fail a call.
   */
  static CourierListener safe(CourierListener listener) {
    return listener == NONE || listener instanceof SafeListener ? listener : new SafeListener(listener);
  }

  /** Wraps a user listener; see {@link #safe}. */
  final class SafeListener implements CourierListener {
    private static final System.Logger LOG = System.getLogger(CourierListener.class.getName());
    private final CourierListener delegate;
    private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

    private SafeListener(CourierListener delegate) {
      this.delegate = delegate;
    }

    /** The first failure is a warning; later ones are debug lines, so a broken listener cannot flood the log. */
    private void failed(RuntimeException e) {
      boolean first = warned.compareAndSet(false, true);
      LOG.log(first ? Level.WARNING : Level.DEBUG,
          "listener " + delegate + " failed; calls go on" + (first ? " (later failures are logged at DEBUG)" : ""), e);
    }

    @Override
    public void onCallStart(String method) {
      try {
        delegate.onCallStart(method);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
      try {
        delegate.onAttempt(method, endpoint, attempt, hedged);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
      try {
        delegate.onAttemptEnd(method, endpoint, code, nanos);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onRetry(String method, int nextAttempt, long backoffNanos) {
      try {
        delegate.onRetry(method, nextAttempt, backoffNanos);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onBudgetExhausted(String method) {
      try {
        delegate.onBudgetExhausted(method);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onEjection(String endpoint, long nanos) {
      try {
        delegate.onEjection(endpoint, nanos);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
      try {
        delegate.onCallEnd(method, code, nanos, attempts, stopReason);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onStreamEnd(String method, MethodDescriptor.MethodType type, Status.Code code, long nanos) {
      try {
        delegate.onStreamEnd(method, type, code, nanos);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onQueueEvent(String method, QueueEvent event) {
      try {
        delegate.onQueueEvent(method, event);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void onCallRefused(String method, Status.Code code) {
      try {
        delegate.onCallRefused(method, code);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public CallTrace traceCall(String method) {
      try {
        return delegate.traceCall(method);
      } catch (RuntimeException e) {
        failed(e);
        return CallTrace.NONE;
      }
    }

    @Override
    public QueueCallTrace traceQueueCall(String method, String system, boolean waits) {
      try {
        return delegate.traceQueueCall(method, system, waits);
      } catch (RuntimeException e) {
        failed(e);
        return QueueCallTrace.NONE;
      }
    }

    @Override
    public QueueWorkTrace traceQueueWork(String method, String system, Map<String, String> headers) {
      try {
        return delegate.traceQueueWork(method, system, headers);
      } catch (RuntimeException e) {
        failed(e);
        return QueueWorkTrace.NONE;
      }
    }
  }

  /** See {@link #all}. */
  final class Composite implements CourierListener {
    private final List<CourierListener> listeners;

    private Composite(List<CourierListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public void onCallStart(String method) {
      listeners.forEach(l -> l.onCallStart(method));
    }

    @Override
    public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
      listeners.forEach(l -> l.onAttempt(method, endpoint, attempt, hedged));
    }

    @Override
    public void onAttemptEnd(String method, String endpoint, Status.Code code, long nanos) {
      listeners.forEach(l -> l.onAttemptEnd(method, endpoint, code, nanos));
    }

    @Override
    public void onRetry(String method, int nextAttempt, long backoffNanos) {
      listeners.forEach(l -> l.onRetry(method, nextAttempt, backoffNanos));
    }

    @Override
    public void onBudgetExhausted(String method) {
      listeners.forEach(l -> l.onBudgetExhausted(method));
    }

    @Override
    public void onEjection(String endpoint, long nanos) {
      listeners.forEach(l -> l.onEjection(endpoint, nanos));
    }

    @Override
    public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
      listeners.forEach(l -> l.onCallEnd(method, code, nanos, attempts, stopReason));
    }

    @Override
    public void onStreamEnd(String method, MethodDescriptor.MethodType type, Status.Code code, long nanos) {
      listeners.forEach(l -> l.onStreamEnd(method, type, code, nanos));
    }

    @Override
    public void onQueueEvent(String method, QueueEvent event) {
      listeners.forEach(l -> l.onQueueEvent(method, event));
    }

    @Override
    public void onCallRefused(String method, Status.Code code) {
      listeners.forEach(l -> l.onCallRefused(method, code));
    }

    @Override
    public CallTrace traceCall(String method) {
      for (CourierListener l : listeners) {
        CallTrace trace = l.traceCall(method);
        if (trace != CallTrace.NONE) {
          return trace;
        }
      }
      return CallTrace.NONE;
    }

    @Override
    public QueueCallTrace traceQueueCall(String method, String system, boolean waits) {
      for (CourierListener l : listeners) {
        QueueCallTrace trace = l.traceQueueCall(method, system, waits);
        if (trace != QueueCallTrace.NONE) {
          return trace;
        }
      }
      return QueueCallTrace.NONE;
    }

    @Override
    public QueueWorkTrace traceQueueWork(String method, String system, Map<String, String> headers) {
      for (CourierListener l : listeners) {
        QueueWorkTrace trace = l.traceQueueWork(method, system, headers);
        if (trace != QueueWorkTrace.NONE) {
          return trace;
        }
      }
      return QueueWorkTrace.NONE;
    }
  }
}
