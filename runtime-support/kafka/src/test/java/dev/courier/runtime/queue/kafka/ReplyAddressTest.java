package dev.courier.runtime.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reply address in a request's envelope: a client's own topic, or the shared one with its partition. */
class ReplyAddressTest {
  @Test
  void ownTopicIsItsBareName() {
    ReplyAddress own = ReplyAddress.parse("courier.reply.shop.1f3a");
    assertThat(own).isEqualTo(ReplyAddress.own("courier.reply.shop.1f3a"));
    assertThat(own.recordPartition()).isZero();
    assertThat(own).hasToString("courier.reply.shop.1f3a");
  }

  @Test
  void sharedTopicCarriesThePartitionOrAnyAndRoundTrips() {
    assertThat(ReplyAddress.parse("courier.replies:3")).isEqualTo(ReplyAddress.shared("courier.replies", 3));
    assertThat(ReplyAddress.shared("courier.replies", 3)).hasToString("courier.replies:3");
    ReplyAddress any = ReplyAddress.parse("courier.replies:*");
    assertThat(any).isEqualTo(ReplyAddress.shared("courier.replies", -1)).hasToString("courier.replies:*");
    assertThat(any.recordPartition()).as("the producer picks").isNull();
  }

  @Test
  void badPartitionSaysWhatIsExpected() {
    assertThatThrownBy(() -> ReplyAddress.parse("replies:x")).hasMessageContaining("<topic>:<partition>");
  }
}
