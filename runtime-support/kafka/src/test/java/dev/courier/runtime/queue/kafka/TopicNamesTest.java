package dev.courier.runtime.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Topic names: prefixed, legal for Kafka, at most 249 characters, and stable for one method. */
class TopicNamesTest {
  private final TopicNames names = new TopicNames("courier.", ".dlq", "shop-1");

  @Test
  void requestTopicIsThePrefixAndTheMethodWithADashForTheSlash() {
    assertThat(names.request("pkg.v1.Inventory/Reserve")).isEqualTo("courier.pkg.v1.Inventory-Reserve");
  }

  @Test
  void deadLetterTopicIsTheRequestTopicAndTheSuffix() {
    assertThat(names.deadLetter("pkg.v1.Inventory/Reserve")).isEqualTo("courier.pkg.v1.Inventory-Reserve.dlq");
  }

  @Test
  void everyReplyTopicIsNewAndNamesTheClient() {
    String first = names.newReply();
    assertThat(first).matches("courier\\.reply\\.shop-1\\.[0-9a-f]{8}-[0-9a-f]{4}");
    assertThat(names.newReply()).isNotEqualTo(first);
  }

  @Test
  void charactersKafkaRefusesBecomeUnderscores() {
    assertThat(TopicNames.legal("a b/c:d")).isEqualTo("a_b_c_d");
    assertThat(TopicNames.legal("Az09._-")).isEqualTo("Az09._-");
  }

  @Test
  void overLongNamesAreCutTo249WithAHashThatKeepsThemApart() {
    String a = TopicNames.legal("x".repeat(300) + "a");
    String b = TopicNames.legal("x".repeat(300) + "b");
    assertThat(a).hasSize(249).matches("x+-[0-9a-f]{16}");
    assertThat(b).hasSize(249).isNotEqualTo(a);
    assertThat(TopicNames.legal("y".repeat(249))).isEqualTo("y".repeat(249));
  }
}
