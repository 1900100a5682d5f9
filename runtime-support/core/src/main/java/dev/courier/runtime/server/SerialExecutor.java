package dev.courier.runtime.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one call's tasks one at a time, in the order given, on a shared executor: at most one
 * thread per call, and each task sees what the one before it did. When the shared executor has
 * stopped (the server is stopping), the tasks run on the thread that gives them, so a call still
 * hears its end. Thread-safe.
 */
final class SerialExecutor implements Executor {
  private final Executor executor;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerialExecutor(Executor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException stopped) {
        drain();
      }
    }
  }

  private void drain() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run(); // tasks catch what they throw (see BoundedCalls)
    }
    scheduled.set(false);
    if (!tasks.isEmpty()) { // given between the last poll and the reset
      schedule();
    }
  }
}
