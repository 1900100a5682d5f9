package dev.courier.runtime.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The replication of the topics Courier creates: production defaults that a single broker can also take. */
class TopicReplicationTest {
  @Test
  void defaultIsThreeReplicasTwoInSyncOnThreeBrokersOrMore() {
    assertThat(TopicReplication.of(0, 0, () -> 3)).isEqualTo(new TopicReplication((short) 3, 2));
    assertThat(TopicReplication.of(0, 0, () -> 9)).isEqualTo(new TopicReplication((short) 3, 2));
  }

  @Test
  void defaultFollowsASmallerCluster() {
    assertThat(TopicReplication.of(0, 0, () -> 1)).isEqualTo(new TopicReplication((short) 1, 1));
    assertThat(TopicReplication.of(0, 0, () -> 2)).isEqualTo(new TopicReplication((short) 2, 1));
  }

  @Test
  void settingsWinAndTheClusterIsNotAskedWhenTheFactorIsSet() {
    assertThat(TopicReplication.of(5, 0, () -> {
      throw new AssertionError("asked");
    })).isEqualTo(new TopicReplication((short) 5, 4));
    assertThat(TopicReplication.of(3, 3, () -> 1)).isEqualTo(new TopicReplication((short) 3, 3));
    assertThat(TopicReplication.of(0, 1, () -> 3)).isEqualTo(new TopicReplication((short) 3, 1));
  }

  @Test
  void builderRefusesMoreInSyncReplicasThanReplicas() {
    assertThatThrownBy(() -> KafkaQueue.builder().bootstrapServers("b:9092").replicationFactor(2)
        .minInSyncReplicas(3).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("minInSyncReplicas: 3 (expected: <= replicationFactor 2)");
  }
}
