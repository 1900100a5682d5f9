package dev.courier.runtime.client;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A scheduler whose time moves only when a test says so, with its own nano clock ({@link
 * #clock()}): {@link #forwardNanos} runs, on the calling thread and in order, every task that
 * falls due, with the clock set to each task's due time. Tasks may be scheduled from any thread.
 * {@link #pendingTasks()} counts tasks neither run nor cancelled, for {@code @AfterEach} checks
 * that nothing is left scheduled. Periodic tasks are not supported.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>(); // guarded by this
  private long now; // guarded by this
  private long sequence; // guarded by this
  private boolean shutdown; // guarded by this

  /** The scheduler's time, in nanoseconds; starts at 0. */
  public synchronized long now() {
    return now;
  }

  /** {@link #now()} as a clock for the code under test. */
  public LongSupplier clock() {
    return this::now;
  }

  /** Moves time forward by {@code nanos}, running every task that falls due on the way. */
  public void forwardNanos(long nanos) {
    long target;
    synchronized (this) {
      target = now + nanos;
    }
    while (true) {
      Task<?> task;
      synchronized (this) {
        task = queue.peek();
        if (task == null || task.due > target) {
          now = target;
          return;
        }
        queue.poll();
        now = Math.max(now, task.due);
      }
      task.run();
    }
  }

  /** Tasks neither run nor cancelled. */
  public synchronized int pendingTasks() {
    queue.removeIf(Task::isDone);
    return queue.size();
  }

  /** The delays, from now, of the pending tasks, soonest first. */
  public synchronized List<Long> pendingDelaysNanos() {
    queue.removeIf(Task::isDone);
    List<Task<?>> tasks = new ArrayList<>(queue);
    tasks.sort(null);
    return tasks.stream().map(t -> t.due - now).toList();
  }

  /**
   * Waits until exactly {@code count} tasks are pending (scheduled by other threads, such as
   * gRPC's), or fails after 10 s. A wait for another thread's work, not for time to pass.
   */
  public synchronized void awaitPendingTasks(int count) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pendingTasks() != count) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("pending tasks: " + pendingTasks() + " (expected: " + count + ")");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(Executors.callable(command, null), delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(callable, delay, unit);
  }

  private synchronized <V> ScheduledFuture<V> add(Callable<V> callable, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task<V> task = new Task<>(callable, now + Math.max(0, unit.toNanos(delay)), sequence++);
    queue.add(task);
    notifyAll();
    return task;
  }

  /** Runs {@code command} at the next {@link #forwardNanos}, like a task with no delay. */
  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic tasks");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic tasks");
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  /** One task: due at a nano instant; ties run in the order they were scheduled. */
  private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    final long due;
    final long seq;

    Task(Callable<V> callable, long due, long seq) {
      super(callable);
      this.due = due;
      this.seq = seq;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      synchronized (ManualScheduler.this) {
        ManualScheduler.this.notifyAll();
      }
      return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - now(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }

    @Override
    public boolean isPeriodic() {
      return false;
    }
  }
}
