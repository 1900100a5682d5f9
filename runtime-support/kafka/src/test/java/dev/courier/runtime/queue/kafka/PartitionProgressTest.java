package dev.courier.runtime.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The committable offset of a partition: never past an unfinished delivery. */
class PartitionProgressTest {
  @Test
  void nothingIsCommittableBeforeAnythingIsHandedOut() {
    assertThat(new PartitionProgress().committable()).isEqualTo(-1);
  }

  @Test
  void commitStopsAtTheLowestUnfinishedOffset() {
    PartitionProgress p = new PartitionProgress();
    for (long o = 10; o < 15; o++) {
      p.dispatched(o);
    }
    assertThat(p.committable()).isEqualTo(10);
    p.finished(11);
    p.finished(13);
    assertThat(p.committable()).isEqualTo(10);
    p.finished(10);
    assertThat(p.committable()).isEqualTo(12);
    p.finished(12);
    p.finished(14);
    assertThat(p.committable()).isEqualTo(15);
  }

  @Test
  void committedOffsetIsNotOfferedAgain() {
    PartitionProgress p = new PartitionProgress();
    p.dispatched(0);
    p.finished(0);
    assertThat(p.committable()).isEqualTo(1);
    p.committed(1);
    assertThat(p.committable()).isEqualTo(-1);
    p.dispatched(1);
    assertThat(p.committable()).isEqualTo(-1);
    p.finished(1);
    assertThat(p.committable()).isEqualTo(2);
  }

  @Test
  void offsetsWithGapsAndUnknownOffsetsAreHandled() {
    PartitionProgress p = new PartitionProgress();
    p.dispatched(5);
    p.dispatched(9);
    p.finished(7);
    assertThat(p.committable()).isEqualTo(5);
    p.finished(5);
    assertThat(p.committable()).isEqualTo(9);
    p.finished(9);
    assertThat(p.committable()).isEqualTo(10);
  }

  @Test
  void offsetHandedOutAgainAfterAResetStaysUnfinishedUntilBothCopiesAre() {
    PartitionProgress p = new PartitionProgress();
    p.dispatched(3);
    p.dispatched(4);
    p.dispatched(3);
    p.finished(3);
    assertThat(p.committable()).isEqualTo(3);
    p.finished(3);
    assertThat(p.committable()).isEqualTo(4);
    p.finished(4);
    assertThat(p.committable()).isEqualTo(5);
  }

  @Test
  void aLongRunningDeliveryHoldsTheCommitWhileThousandsFinishBehindIt() {
    PartitionProgress p = new PartitionProgress();
    p.dispatched(0);
    for (long o = 1; o < 100_000; o++) {
      p.dispatched(o);
      p.finished(o);
    }
    assertThat(p.committable()).isEqualTo(0);
    p.finished(0);
    assertThat(p.committable()).isEqualTo(100_000);
  }

  @Test
  void agreesWithASortedSetOnRandomFinishOrders() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      PartitionProgress p = new PartitionProgress();
      TreeSet<Long> unfinished = new TreeSet<>();
      List<Long> handedOut = new ArrayList<>();
      long next = random.nextInt(1000);
      long committed = -1;
      for (int step = 0; step < 500; step++) {
        if (handedOut.isEmpty() || random.nextInt(3) > 0) {
          next += 1 + random.nextInt(3);
          p.dispatched(next);
          unfinished.add(next);
          handedOut.add(next);
        } else {
          Collections.swap(handedOut, random.nextInt(handedOut.size()), handedOut.size() - 1);
          long done = handedOut.remove(handedOut.size() - 1);
          p.finished(done);
          unfinished.remove(done);
        }
        long safe = unfinished.isEmpty() ? next + 1 : unfinished.first();
        long expected = safe > committed ? safe : -1;
        assertThat(p.committable()).as("round %d step %d", round, step).isEqualTo(expected);
        if (expected >= 0 && random.nextInt(10) == 0) {
          p.committed(expected);
          committed = expected;
        }
      }
    }
  }
}
