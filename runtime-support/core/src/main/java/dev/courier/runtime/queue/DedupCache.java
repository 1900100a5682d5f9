package dev.courier.runtime.queue;

import static dev.courier.runtime.internal.Checks.atLeastOne;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcomes of the most recent requests, by request id, so that a duplicate is answered without
 * running the handler again. Bounded: the oldest entry goes first (a duplicate comes soon after its
 * original, so insertion order serves as well as access order, and a lookup then changes nothing,
 * where access order made every lookup a write to the list). Not thread-safe: each worker lane has
 * its own ({@link WorkerLane}), since a duplicate always comes to its original's lane.
 */
final class DedupCache {
  /** What a request ended in: the reply to send again, or none (fire-and-forget). */
  record Outcome(QueueMessage reply) {}

  private final Map<CallId, Outcome> entries;

  DedupCache(int capacity) {
    atLeastOne("dedupCapacity", capacity);
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<CallId, Outcome> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The outcome of {@code requestId}, or {@code null} if it is not (or no longer) known. */
  Outcome get(CallId requestId) {
    return entries.get(requestId);
  }

  void put(CallId requestId, Outcome outcome) {
    entries.put(requestId, outcome);
  }
}
