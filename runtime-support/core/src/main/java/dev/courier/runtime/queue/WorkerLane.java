package dev.courier.runtime.queue;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One lane of a queue worker: a thread that runs the deliveries handed to it one after the other,
 * in the order they came, with a {@link WorkerProcessor} (and so a dedupe cache) of its own.
 *
 * <p>Why not a plain single-thread executor: its queue takes two locks per delivery, and the
 * consumer thread hands over every record. Here a delivery is one lock-free enqueue, and the
 * thread is woken (a task submitted to its executor) only when it had run out of work; it then
 * drains everything queued. Duplicates of a request come to the lane of the original (by key, or
 * by id), so the lane's own dedupe cache sees them, and needs no lock. Thread-safe.
 */
final class WorkerLane implements Runnable {
  private final ExecutorService thread;
  private final WorkerProcessor processor;
  private final ConcurrentLinkedQueue<QueueDelivery> queue = new ConcurrentLinkedQueue<>();
  /** Whether a drain is submitted or running; only then may deliveries wait in {@link #queue}. */
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean aborted;

  WorkerLane(String threadName, WorkerProcessor processor) {
    this.processor = processor;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Queues {@code delivery}; quick, never blocks. After {@link #abort()} the delivery is dropped,
   * unacknowledged (so delivered again elsewhere).
   */
  void add(QueueDelivery delivery) {
    queue.add(delivery);
    if (!draining.get() && draining.compareAndSet(false, true)) {
      try {
        thread.execute(this);
      } catch (RejectedExecutionException e) {
        // Stopped: what is queued stays unacknowledged and is delivered again.
      }
    }
  }

  /** Drains the queue; a delivery added while it stops draining starts the next drain. */
  @Override
  public void run() {
    do {
      QueueDelivery delivery;
      while (!aborted && (delivery = queue.poll()) != null) {
        processor.process(delivery);
      }
      draining.set(false);
    } while (!aborted && !queue.isEmpty() && draining.compareAndSet(false, true));
  }

  /** Lets what is queued finish, then stops the thread; waits up to {@code timeoutMillis}. */
  void stop(long timeoutMillis) throws InterruptedException {
    thread.shutdown();
    if (!thread.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
      abort();
    }
  }

  /** Stops at once: interrupts the handler running, drops what is queued (unacknowledged). */
  void abort() {
    aborted = true;
    thread.shutdownNow();
  }
}
