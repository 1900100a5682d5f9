package dev.courier.runtime.queue;

import static dev.courier.runtime.internal.Checks.atLeastOne;

/**
 * The outcomes of the most recent requests, by request id, so that a duplicate is answered without
 * running the handler again. Bounded: the oldest entry goes first (a duplicate comes soon after its
 * original, so insertion order serves as well as access order). Not thread-safe: each worker lane
 * has its own ({@link WorkerLane}), since a duplicate always comes to its original's lane.
 *
 * <p>Why not a {@code LinkedHashMap}: every request is one lookup that misses, one insert and one
 * eviction, and there each is a walk through objects spread over the heap (the entry, its {@link
 * CallId}, the evicted entry), with an entry object made per request: a quarter of a worker lane's
 * time under load. Here the ids sit in a ring of plain {@code long} arrays in insertion order (the
 * oldest is overwritten), found through an open-addressing index of ring positions with linear
 * probing (at most half full; an evicted id is removed by shifting back the entries after it, so
 * no tombstones pile up), whose hash keeps one client's consecutive ids in neighbouring slots
 * ({@link #hash}). The ring and index start small and double up to the capacity.
 */
final class DedupCache {
  /** What {@link #get} returns for a request that ended with no reply to send (fire-and-forget). */
  static final QueueMessage NO_REPLY = QueueMessage.reply(0, 0, 0, null, new byte[0]);

  private static final int INITIAL_RING = 1024;
  /** Ids whose numbers share all but these low bits have neighbouring home slots ({@link #hash}). */
  static final int RUN_BITS = 4;
  private static final long RUN_MASK = (1L << RUN_BITS) - 1;

  private final int capacity;
  /** The ids and replies of the ring, by position; {@code size} of them are live. */
  private long[] highs;
  private long[] lows;
  private QueueMessage[] replies;
  private int size;
  /** Where the next id goes: once the ring is full, the oldest. */
  private int next;
  /**
   * Per slot, 0 when empty, else the id's 32-bit hash (high half) and its ring position + 1 (low
   * half): probing compares hashes and a removal finds an entry's home slot without reading the
   * ring, so most steps touch this one array. A power of two, at least twice the ring.
   */
  private long[] index;
  private int mask;
  /**
   * The id {@link #get} last missed, while nothing has changed since: {@link #put} of that id
   * (what a worker does next, for nearly every request) then needs no second lookup.
   */
  private long missedHigh;
  private long missedLow;
  private boolean missValid;

  DedupCache(int capacity) {
    this.capacity = atLeastOne("dedupCapacity", capacity);
    allocate(Math.min(capacity, INITIAL_RING));
  }

  /**
   * The reply of the request {@code (high, low)} (its {@link CallId}): {@link #NO_REPLY} for one
   * that needed none, {@code null} if the id is not (or no longer) known.
   */
  QueueMessage get(long high, long low) {
    int position = find(high, low);
    if (position < 0) {
      missedHigh = high;
      missedLow = low;
      missValid = true;
      return null;
    }
    return replies[(int) index[position] - 1];
  }

  /** Remembers the outcome of the request {@code (high, low)}: its reply, or {@code null} for none. */
  void put(long high, long low, QueueMessage reply) {
    QueueMessage outcome = reply == null ? NO_REPLY : reply;
    boolean knownMissing = missValid && missedHigh == high && missedLow == low;
    missValid = false;
    int found = knownMissing ? -1 : find(high, low);
    if (found >= 0) {
      replies[(int) index[found] - 1] = outcome;
      return;
    }
    if (size == highs.length && size < capacity) {
      grow();
    }
    if (size == highs.length) {
      // Full: the oldest entry makes way.
      removeFromIndex(find(highs[next], lows[next]));
    } else {
      size++;
    }
    highs[next] = high;
    lows[next] = low;
    replies[next] = outcome;
    insert(hash(high, low), next);
    next = next + 1 == highs.length ? 0 : next + 1;
  }

  /** How many outcomes are held. */
  int size() {
    return size;
  }

  /** The index slot holding the id, or -1. */
  private int find(long high, long low) {
    int hash = hash(high, low);
    int slot = hash & mask;
    long entry;
    while ((entry = index[slot]) != 0) {
      if ((int) (entry >>> 32) == hash) {
        int position = (int) entry - 1;
        if (lows[position] == low && highs[position] == high) {
          return slot;
        }
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** Indexes ring position {@code position}, whose id has {@code hash}, in the first free slot from its home. */
  private void insert(int hash, int position) {
    int slot = hash & mask;
    while (index[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    index[slot] = ((long) hash << 32) | (position + 1L);
  }

  /** Frees index slot {@code free}, shifting back the entries after it that would be cut off from their home slot. */
  private void removeFromIndex(int free) {
    int j = free;
    while (true) {
      j = (j + 1) & mask;
      long entry = index[j];
      if (entry == 0) {
        break;
      }
      int home = (int) (entry >>> 32) & mask;
      // The entry at j stays unless its home lies cyclically outside (free, j].
      boolean stays = free <= j ? free < home && home <= j : free < home || home <= j;
      if (!stays) {
        index[free] = entry;
        free = j;
      }
    }
    index[free] = 0;
  }

  /**
   * The id's hash, whose low bits (masked) are its home slot. Ids of one client that differ only in
   * the low {@link #RUN_BITS} bits of their number hash to consecutive values from one random start,
   * so their home slots are neighbours: a client numbers its calls, so a new id's slot, and the
   * oldest id's (the one evicted), are next to those of the ids just before them, in a cache line
   * that was just read, not one random line each per request (those two misses were most of the
   * cache's time with a broker on the same cores). Two ids of one run never share a hash.
   */
  static int hash(long high, long low) {
    long h = (high * 0x9E3779B97F4A7C15L) ^ (low >>> RUN_BITS);
    h *= 0xC2B2AE3D27D4EB4FL;
    return (int) (h >>> 32) + (int) (low & RUN_MASK);
  }

  /** Doubles the ring (up to the capacity), keeping insertion order, and rebuilds the index. */
  private void grow() {
    // Not yet full, so the live entries are positions 0..size-1, oldest first, and next == size.
    long[] oldHighs = highs;
    long[] oldLows = lows;
    QueueMessage[] oldReplies = replies;
    allocate((int) Math.min((long) highs.length * 2, capacity));
    System.arraycopy(oldHighs, 0, highs, 0, size);
    System.arraycopy(oldLows, 0, lows, 0, size);
    System.arraycopy(oldReplies, 0, replies, 0, size);
    for (int p = 0; p < size; p++) {
      insert(hash(highs[p], lows[p]), p);
    }
    next = size;
  }

  private void allocate(int ring) {
    highs = new long[ring];
    lows = new long[ring];
    replies = new QueueMessage[ring];
    int slots = Integer.highestOneBit(Math.max(2, ring) * 2 - 1) * 2;
    index = new long[slots];
    mask = slots - 1;
  }
}
