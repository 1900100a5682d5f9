package dev.courier.runtime.queue;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One lane of a queue worker: the deliveries handed to it run one after the other, in the order
 * they came, with a {@link WorkerProcessor} (and so a dedupe cache) of its own; on the lane's own
 * thread, or ({@link #tryRunInline}) on the thread handing the delivery over.
 *
 * <p>Why not a single-thread executor: its queue takes two locks per delivery, and waking its
 * thread goes through a lock and a condition. Here a delivery is one lock-free enqueue, and the
 * thread, which parks only once the queue is empty, is unparked only when it is parked (at one
 * call outstanding that is every delivery, so the hand-off is on the call's path). Duplicates of a
 * request come to the lane of the original (by key, or by id), so the lane's own dedupe cache sees
 * them, and needs no lock. Thread-safe.
 *
 * <p>One thread at a time runs the lane's deliveries: the one that holds {@link #busy}. A
 * delivery runs inline only when the lane is idle (nothing queued, nothing running), so no later
 * delivery overtakes an earlier one; and only while the lane's recent deliveries were {@linkplain
 * #quick quick}, so that a handler that takes long (or does much work, which lanes run in
 * parallel) runs on the lane's thread.
 */
final class WorkerLane {
  /**
   * The lane runs deliveries inline only while their average time (a moving average over about the
   * last eight: the handler, the decode and encode, the publish) is at most this: cheaper than a
   * hand-off to another thread, and too little work to be worth running in parallel on the lanes.
   */
  static final long QUICK_NANOS = 50_000;
  /**
   * A delivery that takes longer than this many times the quick average stops inline runs until
   * {@link #QUICK_STREAK} in a row have not (1 ms by default).
   */
  static final int SLOW_FACTOR = 20;
  /** How many deliveries in a row that were not slow let the lane run deliveries inline (again). */
  static final int QUICK_STREAK = 64;

  private final long quickNanos;
  private final long slowNanos;

  private final Thread thread;
  private final WorkerProcessor processor;
  private final ConcurrentLinkedQueue<QueueDelivery> queue = new ConcurrentLinkedQueue<>();
  /** Held by the thread running the lane's deliveries: the lane's own, or one running inline. */
  private final AtomicBoolean busy = new AtomicBoolean();
  /** The thread holding {@link #busy}, for {@link #abort()} to interrupt; null when idle. */
  private volatile Thread runner;
  /**
   * How many deliveries in a row were not slow, and their moving average time;
   * written by the holder of {@link #busy}, read without it by {@link #tryRunInline} (a stale value
   * only moves one delivery between inline and the lane's thread).
   */
  private int quickStreak;
  private long averageNanos;
  /** Whether the thread is parked or about to park: {@link #add} then unparks it. */
  private volatile boolean parked;
  /** Set by {@link #stop}: the thread runs what is queued, then ends. */
  private volatile boolean stopping;
  private volatile boolean aborted;

  WorkerLane(String threadName, WorkerProcessor processor) {
    this(threadName, processor, QUICK_NANOS);
  }

  /** @param quickNanos the average time of a delivery up to which the lane runs deliveries inline */
  WorkerLane(String threadName, WorkerProcessor processor, long quickNanos) {
    this.processor = processor;
    this.quickNanos = quickNanos;
    this.slowNanos = quickNanos * SLOW_FACTOR;
    this.averageNanos = quickNanos;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code delivery}; quick, never blocks. After {@link #stop} or {@link #abort()} the
   * delivery may be dropped, unacknowledged (so delivered again elsewhere).
   */
  void add(QueueDelivery delivery) {
    queue.add(delivery);
    wake();
  }

  /**
   * Runs {@code delivery} on the calling thread if the lane is idle and its recent deliveries were
   * quick, and returns true; else returns false and the caller {@linkplain #add adds} it. The
   * caller must be the one thread that hands this lane its deliveries (so none can be queued
   * between the look at the queue and the run), and must survive a delivery that blocks.
   */
  boolean tryRunInline(QueueDelivery delivery) {
    if (!quick() || !queue.isEmpty() || aborted || stopping || !busy.compareAndSet(false, true)) {
      return false;
    }
    Thread current = Thread.currentThread();
    runner = current;
    try {
      if (!aborted) {
        timed(delivery);
      }
    } finally {
      runner = null;
      // A handler may leave the thread interrupted; the transport's thread must not stay so, unless
      // abort() did it, which also stops the transport.
      if (!aborted) {
        Thread.interrupted();
      }
      release();
    }
    return true;
  }

  /** Whether the lane would run a delivery inline now, as far as its recent deliveries go; for tests. */
  boolean quick() {
    return quickStreak >= QUICK_STREAK && averageNanos <= quickNanos;
  }

  private void timed(QueueDelivery delivery) {
    long start = System.nanoTime();
    processor.process(delivery);
    long took = System.nanoTime() - start;
    averageNanos += (took - averageNanos) >> 3;
    if (took <= slowNanos) {
      if (quickStreak < QUICK_STREAK) {
        quickStreak++;
      }
    } else {
      quickStreak = 0;
    }
  }

  /** Frees the lane, and hands what was queued meanwhile to the lane's thread. */
  private void release() {
    busy.set(false);
    if (!queue.isEmpty() || stopping) {
      wake();
    }
  }

  private void wake() {
    // Read after the enqueue (or the release); the thread sets it before its last look at the queue
    // and at busy, so one of the two sees the other.
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    while (!aborted) {
      // A handler may leave the thread interrupted; only abort() should (as an executor does).
      if (Thread.interrupted() && aborted) {
        return;
      }
      if (!queue.isEmpty() && busy.compareAndSet(false, true)) {
        runner = thread;
        try {
          QueueDelivery delivery;
          while (!aborted && (delivery = queue.poll()) != null) {
            timed(delivery);
          }
        } finally {
          runner = null;
          busy.set(false);
        }
        continue;
      }
      if (stopping && queue.isEmpty() && !busy.get()) {
        return;
      }
      parked = true;
      // Nothing to do: nothing queued, or another thread runs the lane (release() wakes this one).
      if ((queue.isEmpty() || busy.get()) && !(stopping && queue.isEmpty() && !busy.get()) && !aborted) {
        LockSupport.park(this);
      }
      parked = false;
    }
  }

  /** Lets what is queued finish, then stops the thread; waits up to {@code timeoutMillis}, then aborts. */
  void stop(long timeoutMillis) throws InterruptedException {
    stopping = true;
    LockSupport.unpark(thread);
    thread.join(Math.max(1, timeoutMillis));
    if (thread.isAlive()) {
      abort();
    }
  }

  /** Stops at once: interrupts the handler running (on whichever thread), drops what is queued (unacknowledged). */
  void abort() {
    aborted = true;
    thread.interrupt();
    Thread inline = runner;
    if (inline != null && inline != thread) {
      inline.interrupt();
    }
    LockSupport.unpark(thread);
  }
}
