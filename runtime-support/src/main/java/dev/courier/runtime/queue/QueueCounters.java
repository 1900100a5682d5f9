package dev.courier.runtime.queue;

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

  QueueStats snapshot() {
    return new QueueStats(sent.sum(), replied.sum(), timedOut.sum(), lateReplies.sum(),
        executed.sum(), deduplicated.sum(), expired.sum(), deadLettered.sum());
  }
}
