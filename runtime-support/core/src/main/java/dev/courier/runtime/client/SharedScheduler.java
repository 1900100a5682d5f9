package dev.courier.runtime.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The default scheduler of retries, hedges and attempt timers: one daemon thread for every client
 * of the JVM, created on first use. Cancelled tasks leave its queue at once, so attempt timers that
 * are cancelled on every answer do not pile up.
 */
final class SharedScheduler {
  static final ScheduledExecutorService INSTANCE = create();

  private SharedScheduler() {}

  private static ScheduledExecutorService create() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "courier-retry");
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
