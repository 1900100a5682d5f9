package dev.courier.runtime.context;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The timer that cancels a {@link CallContext}'s gRPC context at its deadline: one daemon thread, made on first use. */
final class Deadlines {
  private Deadlines() {}

  static ScheduledExecutorService scheduler() {
    return Holder.SCHEDULER;
  }

  private static final class Holder {
    static final ScheduledExecutorService SCHEDULER = scheduler();

    private static ScheduledExecutorService scheduler() {
      ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "courier-call-deadlines");
        thread.setDaemon(true);
        return thread;
      });
      // Nearly every timer is cancelled when its call ends, long before it is due: a queue worker
      // sets one per request (30 s by default), tens of thousands a second. Kept until due, the
      // cancelled ones would pile up in the queue by the million.
      scheduler.setRemoveOnCancelPolicy(true);
      return scheduler;
    }
  }
}
