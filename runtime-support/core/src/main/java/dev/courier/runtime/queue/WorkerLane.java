package dev.courier.runtime.queue;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One lane of a queue worker: a thread that runs the deliveries handed to it one after the other,
 * in the order they came, with a {@link WorkerProcessor} (and so a dedupe cache) of its own.
 *
 * <p>Why not a single-thread executor: its queue takes two locks per delivery, and waking its
 * thread goes through a lock and a condition. Here a delivery is one lock-free enqueue, and the
 * thread, which parks only once the queue is empty, is unparked only when it is parked (at one
 * call outstanding that is every delivery, so the hand-off is on the call's path). Duplicates of a
 * request come to the lane of the original (by key, or by id), so the lane's own dedupe cache sees
 * them, and needs no lock. Thread-safe.
 */
final class WorkerLane {
  private final Thread thread;
  private final WorkerProcessor processor;
  private final ConcurrentLinkedQueue<QueueDelivery> queue = new ConcurrentLinkedQueue<>();
  /** Whether the thread is parked or about to park: {@link #add} then unparks it. */
  private volatile boolean parked;
  /** Set by {@link #stop}: the thread runs what is queued, then ends. */
  private volatile boolean stopping;
  private volatile boolean aborted;

  WorkerLane(String threadName, WorkerProcessor processor) {
    this.processor = processor;
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
    // Read after the enqueue; the thread sets it before its last look at the queue, so one of the
    // two sees the other.
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
      QueueDelivery delivery = queue.poll();
      if (delivery != null) {
        processor.process(delivery);
        continue;
      }
      if (stopping) {
        return;
      }
      parked = true;
      if (queue.isEmpty() && !stopping && !aborted) {
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

  /** Stops at once: interrupts the handler running, drops what is queued (unacknowledged). */
  void abort() {
    aborted = true;
    thread.interrupt();
    LockSupport.unpark(thread);
  }
}
