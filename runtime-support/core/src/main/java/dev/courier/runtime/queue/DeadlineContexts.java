package dev.courier.runtime.queue;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC contexts that carry a queue request's deadline to its handler, one shared by the
 * requests a thread runs one after another with the same deadline (the caller's, in wall-clock
 * milliseconds, as the envelope carries it).
 *
 * <p>Why: a context with a deadline of its own per request costs a {@link Deadline}, a timer and
 * three clock reads inside gRPC ({@code Deadline.after}, and {@code withDeadline}'s expiry check
 * and delay), plus the timer's own; at 256 calls outstanding, the calls a caller sends within one
 * millisecond arrive together with the same deadline, so most requests can share one. Each request
 * still gets a context of its own on top ({@link dev.courier.runtime.context.CallContext#attachable},
 * which sees the same deadline and adds only a cancellation), cancelled when its call ends; the
 * shared one is cancelled by its timer at the deadline, which cancels the request's context as
 * gRPC cancels a child with its parent, or when its thread moves on to another deadline.
 *
 * <p>A thread must run its requests one at a time (a worker's consumer and lane threads do), since
 * moving on cancels the context the last one ran under. Thread-safe otherwise.
 */
final class DeadlineContexts {
  private final ScheduledExecutorService timer;
  private final Deadline.Ticker ticker;
  private final ThreadLocal<Shared> last = new ThreadLocal<>();

  /** Deadlines on the system clock, their cancellations timed on {@code timer}. */
  DeadlineContexts(ScheduledExecutorService timer) {
    this(timer, Deadline.getSystemTicker());
  }

  /** For tests: deadlines on {@code ticker}. */
  DeadlineContexts(ScheduledExecutorService timer, Deadline.Ticker ticker) {
    this.timer = timer;
    this.ticker = ticker;
  }

  /**
   * The context, under {@code parent}, with the deadline {@code deadlineMillis} (wall-clock time),
   * {@code deadlineMillis - nowMillis} from now when this thread has no context for it yet: the one
   * this thread's last request had when it had the same deadline and parent.
   */
  Shared context(Context parent, long deadlineMillis, long nowMillis) {
    Shared shared = last.get();
    if (shared != null && shared.deadlineMillis == deadlineMillis && shared.parent == parent) {
      return shared;
    }
    if (shared != null) {
      // No request of this thread runs under it any more, and each that did cancelled its own
      // context when it ended: its timer can go.
      shared.context.cancel(null);
    }
    Deadline deadline = Deadline.after(deadlineMillis - nowMillis, TimeUnit.MILLISECONDS, ticker);
    shared = new Shared(parent, deadlineMillis, deadline, parent.withDeadline(deadline, timer));
    last.set(shared);
    return shared;
  }

  /** One deadline's context, and the deadline as the caller set it (the context's may be the parent's, earlier). */
  static final class Shared {
    private final Context parent;
    private final long deadlineMillis;
    private final Deadline deadline;
    private final Context.CancellableContext context;

    private Shared(Context parent, long deadlineMillis, Deadline deadline, Context.CancellableContext context) {
      this.parent = parent;
      this.deadlineMillis = deadlineMillis;
      this.deadline = deadline;
      this.context = context;
    }

    /** The caller's deadline. */
    Deadline deadline() {
      return deadline;
    }

    /** The context whose deadline (and cancellation at it) the request's own context inherits. */
    Context context() {
      return context;
    }
  }
}
