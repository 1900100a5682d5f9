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
  final LongAdder sent = new Counter();
  final LongAdder replied = new Counter();
  final LongAdder timedOut = new Counter();
  final LongAdder lateReplies = new Counter();
  final LongAdder executed = new Counter();
  final LongAdder deduplicated = new Counter();
  final LongAdder expired = new Counter();
  final LongAdder deadLettered = new Counter();

  /**
   * A {@link LongAdder} on cache lines of its own. Each counter is written once per call by another
   * thread (sent by the transport's I/O thread, replied by the reply thread, executed by the
   * lanes); side by side, as eight plain adders allocated together are, every increment took the
   * line from the core that wrote a neighbour: 10% of the client's I/O thread and 4% of the reply
   * thread in the Kafka benchmark's profile. The padding keeps other objects' fields 128 bytes
   * from this one's.
   */
  @SuppressWarnings("unused") // the padding is never read
  private static final class Counter extends LongAdder {
    private static final long serialVersionUID = 1L;
    long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
  }

  private final CourierListener listener;

  QueueCounters() {
    this(CourierListener.NONE);
  }

  QueueCounters(CourierListener listener) {
    this.listener = CourierListener.safe(listener);
  }

  /** Whether there is a listener to tell of events; without one, {@link #record} only counts. */
  boolean listens() {
    return listener != CourierListener.NONE;
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
    // Without a listener, no call at all (three per queue call, on the calls' hottest threads).
    if (listens()) {
      listener.onQueueEvent(method, event);
    }
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
