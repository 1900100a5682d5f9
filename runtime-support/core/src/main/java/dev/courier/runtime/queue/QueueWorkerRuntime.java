package dev.courier.runtime.queue;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.notNegative;

import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.internal.Checks;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.LiveClients;
import dev.courier.runtime.retry.Backoff;
import dev.courier.runtime.server.ServiceBindings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Takes calls off the request queues of its methods and runs the same handlers a gRPC server runs.
 *
 * <p>Calls run on {@code concurrency} lanes, each one thread. A call goes to the lane of its hash
 * key (or, without one, of its request id), so calls with one key run one after the other, in
 * queue order. On a transport that {@linkplain QueueTransport#survivesBlockingHandler survives a
 * blocking handler} (Kafka), a call whose lane is idle runs on the transport's consumer thread
 * instead, while the lane's recent calls took 50 microseconds or less on average (handler, decode,
 * encode and publish): so cheap a call costs less than its hand-off to another thread, and is too
 * little work to gain from running on the lanes in parallel. A call over 1 ms sends its lane's
 * calls to the lane's thread until 64 in a row were not. For each call the worker: answers a
 * duplicate request id from a bounded cache of
 * recent outcomes without running the handler; answers a call whose deadline has passed with
 * {@code DEADLINE_EXCEEDED} without running it; dead-letters a request that cannot be decoded;
 * runs the handler, and again (up to {@code maxDeliveryAttempts} in all, after the {@linkplain
 * Builder#redeliveryBackoff redelivery backoff}) when it throws anything but a status exception,
 * then dead-letters it (at once, when the next attempt would start after the caller's deadline). A status exception is the handler's answer and is
 * sent to the caller as it is. The request is acknowledged only after its reply (or dead letter)
 * has been published. A reply that cannot be published is published again until the caller's
 * deadline has passed, so a failing publish never holds the queue's commit point or an in-flight
 * slot for longer than that.
 *
 * <p>Thread-safe. {@link #close()} is graceful: it stops taking calls, lets the calls in flight
 * finish and acknowledges them; {@link #abort()} stops at once and leaves them to be delivered
 * again.
 */
public final class QueueWorkerRuntime implements AutoCloseable {
  private final QueueSubscription subscription;
  private final WorkerLane[] lanes;
  private final QueueCounters counters;
  private final Duration shutdownTimeout;
  /** Publishes replies again after a failed publish; one thread, idle unless the transport fails. */
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "courier-queue-worker-retries");
    t.setDaemon(true);
    return t;
  });
  /** Times the handlers' gRPC deadlines: one per request, nearly all cancelled in milliseconds. */
  private final TimeoutWheel deadlines = new TimeoutWheel("courier-queue-worker-deadlines", 10, TimeUnit.MILLISECONDS,
      512);
  private final AtomicBoolean closed = new AtomicBoolean();
  /** This worker on the status page's list; removed when it closes. */
  private final AutoCloseable live;

  private QueueWorkerRuntime(Builder b) {
    this.counters = new QueueCounters(b.listener);
    this.shutdownTimeout = b.shutdownTimeout;
    int attempts = b.maxDeliveryAttempts > 0 ? b.maxDeliveryAttempts : b.transport.maxDeliveryAttempts();
    WheelScheduler scheduler = new WheelScheduler(deadlines);
    // A dedupe cache per lane, each a share of the capacity: a duplicate comes to its original's lane.
    this.lanes = new WorkerLane[b.concurrency];
    for (int i = 0; i < lanes.length; i++) {
      WorkerProcessor processor = new WorkerProcessor(b.transport, b.bindings, attempts,
          new DedupCache(Math.max(1, (b.dedupCapacity + lanes.length - 1) / lanes.length)), counters,
          b.redeliveryBackoff, b.sleeper, retries, scheduler);
      lanes[i] = new WorkerLane("courier-queue-worker-" + i, processor, b.quickCallNanos);
    }
    this.live = LiveClients.register(() -> counters.live(true, b.transport));
    boolean inline = b.transport.survivesBlockingHandler();
    this.subscription = b.transport.subscribe(b.bindings.keySet(), b.maxInFlight, delivery -> {
      WorkerLane lane = lanes[lane(delivery.message(), lanes.length)];
      if (!inline || !lane.tryRunInline(delivery)) {
        lane.add(delivery);
      }
    });
  }

  /** The lane of {@code message}: by its key, or without one by its id, so duplicates share a lane. */
  private static int lane(QueueMessage message, int lanes) {
    String key = message.key();
    if (key != null) {
      return Math.floorMod(key.hashCode(), lanes);
    }
    return message.hasId() ? Math.floorMod(Long.hashCode(message.idHigh() ^ message.idLow()), lanes) : 0;
  }

  /** A builder for a worker on {@code transport}. */
  public static Builder builder(QueueTransport transport) {
    return new Builder(Objects.requireNonNull(transport, "transport"));
  }

  /** This worker's counters. */
  public QueueStats stats() {
    return counters.snapshot();
  }

  /**
   * Stops taking calls, waits (up to the shutdown timeout) for the calls in flight to finish and be
   * acknowledged, then stops the lanes. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leave();
    try {
      subscription.close(shutdownTimeout);
      stopLanes();
    } finally {
      retries.shutdownNow();
      deadlines.close();
    }
  }

  /**
   * Stops at once, like a worker process that dies: handlers are interrupted, nothing more is
   * acknowledged, and every call not yet acknowledged is delivered again to another worker.
   */
  public void abort() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leave();
    for (WorkerLane lane : lanes) {
      lane.abort();
    }
    retries.shutdownNow();
    subscription.abort();
    deadlines.close();
  }

  private void leave() {
    try {
      live.close();
    } catch (Exception e) {
      // LiveClients' handles do not throw.
    }
  }

  private void stopLanes() {
    try {
      for (WorkerLane lane : lanes) {
        lane.stop(shutdownTimeout.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The default {@linkplain Builder#redeliveryBackoff wait before a failed handler runs again}: 100
   * ms, doubling up to 5 s, each wait drawn between half and all of that.
   */
  public static final Backoff DEFAULT_REDELIVERY_BACKOFF =
      Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.5);

  /** Builds a {@link QueueWorkerRuntime}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final QueueTransport transport;
    private final Map<String, WorkerProcessor.Binding<?, ?>> bindings = new LinkedHashMap<>();
    private int concurrency = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int maxDeliveryAttempts;
    private Backoff redeliveryBackoff = DEFAULT_REDELIVERY_BACKOFF;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private long quickCallNanos = WorkerLane.QUICK_NANOS;
    private int maxInFlight = 1024;
    private int dedupCapacity = 10_000;
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private CourierListener listener = CourierListener.NONE;

    private Builder(QueueTransport transport) {
      this.transport = transport;
    }

    /** Tells {@code listener} about every call the worker runs, skips, deduplicates or dead-letters. */
    public Builder listener(CourierListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Runs {@code handler} for calls to {@code method}. */
    public <ReqT, RespT> Builder handle(
        RpcMethod<ReqT, RespT> method, ServiceBindings.UnaryHandler<ReqT, RespT> handler) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(handler, "handler");
      if (bindings.putIfAbsent(method.fullName(), new WorkerProcessor.Binding<>(method, handler)) != null) {
        throw Checks.invalid("method", method.fullName(), "one handler per method");
      }
      return this;
    }

    /** How many calls run at once (lanes); default: the number of processors, at least 2. */
    public Builder concurrency(int concurrency) {
      this.concurrency = atLeastOne("concurrency", concurrency);
      return this;
    }

    /** How many times a failing handler runs before the call is dead-lettered; default: the transport's. */
    public Builder maxDeliveryAttempts(int maxDeliveryAttempts) {
      this.maxDeliveryAttempts = atLeastOne("maxDeliveryAttempts", maxDeliveryAttempts);
      return this;
    }

    /**
     * How long the worker waits before it runs a handler again after the handler threw (anything
     * but a status exception, which is an answer); {@link Backoff#delayNanos} gets 1 before the
     * second attempt. Default {@link #DEFAULT_REDELIVERY_BACKOFF}. The wait is spent on the call's
     * lane, so the calls with its hash key (and others on that lane) wait behind it and keep their
     * order. An attempt that would start after the caller's deadline is neither waited for nor run:
     * the request is dead-lettered at once and answered {@code DEADLINE_EXCEEDED}.
     */
    public Builder redeliveryBackoff(Backoff redeliveryBackoff) {
      this.redeliveryBackoff = Objects.requireNonNull(redeliveryBackoff, "redeliveryBackoff");
      return this;
    }

    /** Exponential redelivery backoff from {@code initial}, doubling up to {@code max}, without jitter. */
    public Builder redeliveryBackoff(Duration initial, Duration max) {
      return redeliveryBackoff(Backoff.exponential(initial, max, 2.0, 0.0));
    }

    /** How lanes wait the redelivery backoff; tests record the waits instead of spending them. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Up to what average time a lane's calls run on the transport's thread ({@link
     * WorkerLane#QUICK_NANOS} by default); for tests, whose calls run before the JIT compiled them.
     */
    Builder quickCallNanos(long quickCallNanos) {
      if (quickCallNanos < 1) {
        throw new IllegalArgumentException("quickCallNanos: " + quickCallNanos + " (expected: >= 1)");
      }
      this.quickCallNanos = quickCallNanos;
      return this;
    }

    /** How many calls may be taken off the queue and not yet finished; default 1024. */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = atLeastOne("maxInFlight", maxInFlight);
      return this;
    }

    /** How many recent request ids are remembered to drop duplicates; default 10,000. */
    public Builder dedupCapacity(int dedupCapacity) {
      this.dedupCapacity = atLeastOne("dedupCapacity", dedupCapacity);
      return this;
    }

    /** How long {@link #close()} waits for calls in flight; default 30 seconds. */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = notNegative("shutdownTimeout", shutdownTimeout);
      return this;
    }

    /** Subscribes to the queues of the registered methods and starts taking calls. */
    public QueueWorkerRuntime start() {
      if (bindings.isEmpty()) {
        throw new IllegalStateException("no handlers (expected: at least one handle(method, handler))");
      }
      return new QueueWorkerRuntime(this);
    }
  }
}
