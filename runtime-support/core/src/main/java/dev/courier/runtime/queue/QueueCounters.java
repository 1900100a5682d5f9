package dev.courier.runtime.queue;

import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueEvent;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link QueueStats}. Thread-safe. */
final class QueueCounters {
  final LongAdder sent = new LongAdder();
  final LongAdder replied = new LongAdder();
  final LongAdder timedOut = new LongAdder();
  final LongAdder lateReplies = new LongAdder();
  final LongAdder executed = new LongAdder();
  final LongAdder deduplicated = new LongAdder();
  final LongAdder expired = new LongAdder();
  final LongAdder deadLettered = new LongAdder();

  private final CourierListener listener;

  QueueCounters() {
    this(CourierListener.NONE);
  }

  QueueCounters(CourierListener listener) {
    this.listener = CourierListener.safe(listener);
  }

  /** The listener, made safe; the runtimes ask it for traces. */
  CourierListener listener() {
    return listener;
  }

  /** Counts {@code event} and tells the listener. */
  void record(QueueEvent event, String method) {
    (switch (event) {
      case SENT -> sent;
      case REPLIED -> replied;
      case TIMED_OUT -> timedOut;
      case LATE_REPLY -> lateReplies;
      case EXECUTED -> executed;
      case DEDUPLICATED -> deduplicated;
      case EXPIRED -> expired;
      case DEAD_LETTERED -> deadLettered;
    }).increment();
    listener.onQueueEvent(method, event);
  }

  QueueStats snapshot() {
    return new QueueStats(sent.sum(), replied.sum(), timedOut.sum(), lateReplies.sum(),
        executed.sum(), deduplicated.sum(), expired.sum(), deadLettered.sum());
  }
}
