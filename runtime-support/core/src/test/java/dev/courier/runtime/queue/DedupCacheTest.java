package dev.courier.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dedupe cache answers a known id with its reply, forgets the oldest id first once full, and
 * behaves as a bounded insertion-ordered map over long runs of inserts, repeats and evictions
 * (checked against a {@link LinkedHashMap} model), through its growth and with ids that collide in
 * its index.
 */
class DedupCacheTest {
  private static QueueMessage reply(long n) {
    return QueueMessage.reply(new CallId(7, n), 0, null, new byte[] {(byte) n});
  }

  @Test
  void aKnownIdGivesItsReplyAndAnUnknownOneNothing() {
    DedupCache cache = new DedupCache(10);
    QueueMessage reply = reply(1);
    cache.put(7, 1, reply);
    cache.put(7, 2, null);

    assertThat(cache.get(7, 1)).isSameAs(reply);
    assertThat(cache.get(7, 2)).isSameAs(DedupCache.NO_REPLY);
    assertThat(cache.get(7, 3)).isNull();
    assertThat(cache.get(8, 1)).as("same low, other client").isNull();
  }

  @Test
  void onceFullTheOldestIdGoesFirst() {
    DedupCache cache = new DedupCache(3);
    for (long n = 1; n <= 4; n++) {
      cache.put(7, n, reply(n));
    }

    assertThat(cache.get(7, 1)).isNull();
    assertThat(cache.get(7, 2)).isNotNull();
    assertThat(cache.get(7, 4)).isNotNull();
    assertThat(cache.size()).isEqualTo(3);
  }

  @Test
  void puttingAKnownIdAgainReplacesItsReplyAndEvictsNothing() {
    DedupCache cache = new DedupCache(2);
    cache.put(7, 1, reply(1));
    cache.put(7, 2, reply(2));
    QueueMessage again = reply(1);
    cache.put(7, 1, again);

    assertThat(cache.get(7, 1)).isSameAs(again);
    assertThat(cache.get(7, 2)).isNotNull();
    assertThat(cache.size()).isEqualTo(2);
  }

  /** Random inserts, repeats and lookups, from a few clients, against the model of a bounded map. */
  @Test
  void behavesAsABoundedInsertionOrderedMap() {
    for (int capacity : new int[] {1, 2, 7, 1000, 1500, 5000}) {
      behavesAsTheModel(capacity, 4);
    }
  }

  /**
   * Many clients whose consecutive ids each fill runs of neighbouring slots ({@link
   * DedupCache#hash}), so that runs of different clients overlap and push into each other.
   */
  @Test
  void behavesAsABoundedInsertionOrderedMapWithManyClientsRunsOverlapping() {
    for (int capacity : new int[] {300, 5000}) {
      behavesAsTheModel(capacity, 40);
    }
  }

  @Test
  void consecutiveIdsOfAClientHashToNeighbouringSlotsAndNeverCollide() {
    long client = 0x5DEECE66DL;
    int runLength = 1 << DedupCache.RUN_BITS;
    long runStart = 37L * runLength;
    for (int i = 0; i < runLength; i++) {
      assertThat(DedupCache.hash(client, runStart + i)).isEqualTo(DedupCache.hash(client, runStart) + i);
    }
    // The next run starts elsewhere; so does the same run of another client.
    assertThat(DedupCache.hash(client, runStart + runLength)).isNotEqualTo(DedupCache.hash(client, runStart) + runLength);
    assertThat(DedupCache.hash(client + 1, runStart)).isNotEqualTo(DedupCache.hash(client, runStart));
    Set<Integer> hashes = new HashSet<>();
    for (long n = 0; n < 100_000; n++) {
      hashes.add(DedupCache.hash(client, n));
    }
    assertThat(hashes).hasSizeGreaterThan(99_990); // a 32-bit hash: a collision or two by chance at most
  }

  private static void behavesAsTheModel(int capacity, int clientCount) {
    Random random = new Random(capacity * 31L + clientCount);
    DedupCache cache = new DedupCache(capacity);
    Map<CallId, QueueMessage> model = new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<CallId, QueueMessage> eldest) {
        return size() > capacity;
      }
    };
    long[] clients = new long[clientCount];
    for (int c = 0; c < clientCount; c++) {
      clients[c] = c == 0 ? 0 : c == 1 ? -1 : random.nextLong();
    }
    long[] counters = new long[clients.length];
    for (int op = 0; op < 60_000; op++) {
      int c = random.nextInt(clients.length);
      // Mostly new ids, in order per client, as clients number their calls; some repeats.
      long low = random.nextInt(10) == 0 && counters[c] > 0
          ? Math.max(1, counters[c] - random.nextInt(2 * capacity + 1)) : ++counters[c];
      CallId id = new CallId(clients[c], low);
      QueueMessage expected = model.get(id);
      QueueMessage got = cache.get(id.high(), id.low());
      assertThat(got).as("op %s, capacity %s, %s", op, capacity, id).isSameAs(expected);
      if (got == null || random.nextBoolean()) {
        QueueMessage reply = random.nextInt(5) == 0 ? null : reply(low);
        cache.put(id.high(), id.low(), reply);
        model.put(id, reply == null ? DedupCache.NO_REPLY : reply);
      }
      assertThat(cache.size()).isEqualTo(model.size());
    }
    for (Map.Entry<CallId, QueueMessage> e : model.entrySet()) {
      CallId id = e.getKey();
      assertThat(cache.get(id.high(), id.low())).as("capacity %s, %s", capacity, id).isSameAs(e.getValue());
    }
  }
}
