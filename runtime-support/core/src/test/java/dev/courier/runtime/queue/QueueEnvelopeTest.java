package dev.courier.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueEnvelopeTest {
  private static final byte[] BODY = {42};

  @Test
  void requestEnvelopeIsVersionOneByteForByte() {
    QueueMessage request = QueueMessage.request("k", new CallId(0x0102030405060708L, 9), 1_000L, "r.t", Map.of(), BODY);

    // Pinned: other Courier versions read these bytes (docs/wire-compatibility.md). Version 1,
    // flags id|deadline|reply, the two longs of the id, the deadline, the reply address.
    assertThat(HexFormat.of().formatHex(QueueEnvelope.encode(request)))
        .isEqualTo("0107" + "0102030405060708" + "0000000000000009" + "00000000000003e8" + "03" + "722e74");
  }

  @Test
  void successfulReplyIsTheIdAlone() {
    QueueMessage reply = QueueMessage.reply(new CallId(1, 2), 0, null, BODY);

    assertThat(QueueEnvelope.encode(reply)).hasSize(18);
  }

  @Test
  void everyFieldSurvivesTheRoundTrip() {
    QueueMessage failed = QueueMessage.of("key", new CallId(-1, Long.MIN_VALUE), 123_456_789_012L, "topic:3", 14,
        "no tenant ü", Map.of("c-m-x", "y"), BODY);

    QueueMessage back = new QueueEnvelope.Reader().decode(QueueEnvelope.encode(failed), "key", failed.headers(), BODY);

    assertThat(back.id()).isEqualTo(failed.id());
    assertThat(back.deadlineMillis()).isEqualTo(123_456_789_012L);
    assertThat(back.replyTo()).isEqualTo("topic:3");
    assertThat(back.status()).isEqualTo(14);
    assertThat(back.statusMessage()).isEqualTo("no tenant ü");
    assertThat(back.headers()).containsEntry("c-m-x", "y");
  }

  @Test
  void absentFieldsStayAbsent() {
    QueueMessage bare = QueueMessage.builder(BODY).build();

    QueueMessage back = new QueueEnvelope.Reader().decode(QueueEnvelope.encode(bare), null, Map.of(), BODY);

    assertThat(back.id()).isNull();
    assertThat(back.hasDeadline()).isFalse();
    assertThat(back.replyTo()).isNull();
    assertThat(back.status()).isZero();
  }

  @Test
  void readerReusesTheReplyAddressOfTheLastRequest() {
    QueueEnvelope.Reader reader = new QueueEnvelope.Reader();
    byte[] first = QueueEnvelope.encode(QueueMessage.request(null, new CallId(1, 1), 5, "replies", Map.of(), BODY));
    byte[] second = QueueEnvelope.encode(QueueMessage.request(null, new CallId(1, 2), 5, "replies", Map.of(), BODY));
    byte[] other = QueueEnvelope.encode(QueueMessage.request(null, new CallId(1, 3), 5, "others", Map.of(), BODY));

    String a = reader.decode(first, null, Map.of(), BODY).replyTo();
    String b = reader.decode(second, null, Map.of(), BODY).replyTo();
    String c = reader.decode(other, null, Map.of(), BODY).replyTo();

    assertThat(b).isSameAs(a);
    assertThat(c).isEqualTo("others");
  }

  @Test
  void laterFieldsAndUnknownFlagsOfVersionOneAreIgnored() {
    byte[] envelope = QueueEnvelope.encode(QueueMessage.reply(new CallId(3, 4), 0, null, BODY));
    byte[] extended = Arrays.copyOf(envelope, envelope.length + 3);
    extended[1] |= (byte) 0x40;

    QueueMessage back = new QueueEnvelope.Reader().decode(extended, null, Map.of(), BODY);

    assertThat(back.id()).isEqualTo(new CallId(3, 4));
  }

  @Test
  void anotherVersionIsRefusedNamingIt() {
    byte[] envelope = QueueEnvelope.encode(QueueMessage.reply(new CallId(3, 4), 0, null, BODY));
    envelope[0] = 2;

    assertThatThrownBy(() -> new QueueEnvelope.Reader().decode(envelope, null, Map.of(), BODY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("envelope format version 2 (expected: 1");
  }

  @Test
  void truncatedEnvelopeIsRefused() {
    byte[] envelope = QueueEnvelope.encode(QueueMessage.request(null, new CallId(1, 1), 5, "replies", Map.of(), BODY));

    assertThatThrownBy(() -> new QueueEnvelope.Reader().decode(Arrays.copyOf(envelope, 12), null, Map.of(), BODY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends inside a field");
    assertThatThrownBy(() -> new QueueEnvelope.Reader().decode(new byte[] {1}, null, Map.of(), BODY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
  }
}
