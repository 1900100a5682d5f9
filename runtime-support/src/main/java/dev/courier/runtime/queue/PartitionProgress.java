package dev.courier.runtime.queue;

import java.util.TreeSet;

/**
 * The offsets of one partition handed out and not yet finished, and so the offset that is safe to
 * commit: the lowest unfinished one, or one past the highest handed out. Not thread-safe: used by
 * the consumer thread only.
 */
final class PartitionProgress {
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long next = -1;
  private long committed = -1;

  void dispatched(long offset) {
    unfinished.add(offset);
    next = Math.max(next, offset + 1);
  }

  void finished(long offset) {
    unfinished.remove(offset);
  }

  /** The offset to commit, or -1 when nothing new is safe to commit. */
  long committable() {
    long safe = unfinished.isEmpty() ? next : unfinished.first();
    return safe > committed ? safe : -1;
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }
}
