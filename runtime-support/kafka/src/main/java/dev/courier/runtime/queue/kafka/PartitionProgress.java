package dev.courier.runtime.queue.kafka;

import java.util.Arrays;

/**
 * The offsets of one partition handed out and not yet finished, and so the offset that is safe to
 * commit: the lowest unfinished one, or one past the highest handed out. Not thread-safe: used by
 * the consumer thread only.
 *
 * <p>The offsets are kept in ascending order in a plain array with a finished flag each (Kafka hands
 * them out in ascending order, so adding one is an append and finishing one a binary search): no
 * boxed {@code Long} and no tree node per record on the thread that also polls every record.
 */
final class PartitionProgress {
  private long[] offsets = new long[64];
  private boolean[] finished = new boolean[64];
  /** The live entries are {@code [first, end)}; those before {@code first} were all finished. */
  private int first;
  private int end;
  private long next = -1;
  private long committed = -1;

  void dispatched(long offset) {
    if (end == offsets.length) {
      makeRoom();
    }
    // Kafka hands out a partition's records in offset order, so this is an append; an offset out of
    // order (a position reset) is slotted into place.
    int i = end;
    while (i > first && offsets[i - 1] > offset) {
      i--;
    }
    System.arraycopy(offsets, i, offsets, i + 1, end - i);
    System.arraycopy(finished, i, finished, i + 1, end - i);
    offsets[i] = offset;
    finished[i] = false;
    end++;
    next = Math.max(next, offset + 1);
  }

  void finished(long offset) {
    int i = Arrays.binarySearch(offsets, first, end, offset);
    if (i < 0) {
      return;
    }
    // An offset handed out twice (after a reset) has two entries: finish one not yet finished, so
    // the offset stays unfinished until both are.
    while (i > first && offsets[i - 1] == offset) {
      i--;
    }
    while (i < end && offsets[i] == offset && finished[i]) {
      i++;
    }
    if (i == end || offsets[i] != offset) {
      return;
    }
    finished[i] = true;
    while (first < end && finished[first]) {
      first++;
    }
    if (first == end) {
      first = 0;
      end = 0;
    }
  }

  /** The offset to commit, or -1 when nothing new is safe to commit. */
  long committable() {
    long safe = first == end ? next : offsets[first];
    return safe > committed ? safe : -1;
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /**
   * Drops every finished entry (so a long-running delivery at the front cannot make the arrays grow
   * with the records finished behind it), and doubles the arrays if they stay over half full.
   */
  private void makeRoom() {
    int kept = 0;
    for (int i = first; i < end; i++) {
      if (!finished[i]) {
        offsets[kept] = offsets[i];
        finished[kept] = false;
        kept++;
      }
    }
    first = 0;
    end = kept;
    if (kept > offsets.length / 2) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
      finished = Arrays.copyOf(finished, finished.length * 2);
    }
  }
}
