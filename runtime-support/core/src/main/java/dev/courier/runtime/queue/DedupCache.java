package dev.courier.runtime.queue;

import static dev.courier.runtime.internal.Checks.atLeastOne;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The outcomes of the most recent requests, by request id, so that a duplicate is answered without
 * running the handler again. Bounded: the oldest entry goes first (a duplicate comes soon after its
 * original, so insertion order serves as well as access order, and a lookup then changes nothing,
 * where access order made every lookup a write to the list). Thread-safe.
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

  synchronized Optional<Outcome> get(CallId requestId) {
    return Optional.ofNullable(entries.get(requestId));
  }

  synchronized void put(CallId requestId, Outcome outcome) {
    entries.put(requestId, outcome);
  }
}
