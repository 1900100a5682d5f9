package dev.courier.runtime.context;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The timer that cancels a {@link CallContext}'s gRPC context at its deadline: one daemon thread, made on first use. */
final class Deadlines {
  private Deadlines() {}

  static ScheduledExecutorService scheduler() {
    return Holder.SCHEDULER;
  }

  private static final class Holder {
    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "courier-call-deadlines");
      thread.setDaemon(true);
      return thread;
    });
  }
}
