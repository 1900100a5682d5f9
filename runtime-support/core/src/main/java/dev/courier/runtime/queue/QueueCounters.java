package dev.courier.runtime.queue;

import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.LiveClients;
import dev.courier.runtime.observe.QueueEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The status page's view of the client ({@code worker} false) or worker these counters belong to. */
  LiveClients.ClientSnapshot live(boolean worker, QueueTransport transport) {
    Map<String, Long> counts = new LinkedHashMap<>();
    if (worker) {
      counts.put("executed", executed.sum());
      counts.put("deduplicated", deduplicated.sum());
      counts.put("expired", expired.sum());
      counts.put("dead-lettered", deadLettered.sum());
    } else {
      counts.put("sent", sent.sum());
      counts.put("replied", replied.sum());
      counts.put("timed out", timedOut.sum());
      counts.put("late replies", lateReplies.sum());
    }
    return new LiveClients.ClientSnapshot(worker ? "queue worker" : "queue client", transport.system(),
        transport.getClass().getSimpleName(), List.of(), "", counts);
  }

  QueueStats snapshot() {
    return new QueueStats(sent.sum(), replied.sum(), timedOut.sum(), lateReplies.sum(),
        executed.sum(), deduplicated.sum(), expired.sum(), deadLettered.sum());
  }
}
