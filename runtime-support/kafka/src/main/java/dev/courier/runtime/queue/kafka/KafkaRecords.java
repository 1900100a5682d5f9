package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueEnvelope;
import dev.courier.runtime.queue.QueueHeaders;
import dev.courier.runtime.queue.QueueMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Converts between {@link QueueMessage}s and Kafka records: the envelope as the one binary header
 * {@link QueueHeaders#ENVELOPE} ({@link QueueEnvelope}), other headers as UTF-8 strings. A record
 * without a readable envelope becomes a message without an id, with the reason in {@link
 * QueueHeaders#ERROR} (a worker dead-letters it, a client ignores it). Writing is stateless; a
 * {@link Reader} is one per consumer thread.
 */
final class KafkaRecords {
  private static final byte[] EMPTY = new byte[0];

  private KafkaRecords() {}

  /** @param partition {@code null} to let the key (or the partitioner) choose */
  static ProducerRecord<String, byte[]> toRecord(String topic, Integer partition, QueueMessage message) {
    // Headers added to the record's own: a RecordHeaders handed to the constructor is copied (a
    // second RecordHeaders, list and array per record).
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, message.key(), message.body());
    Headers headers = record.headers();
    headers.add(QueueHeaders.ENVELOPE, QueueEnvelope.encode(message));
    if (!message.headers().isEmpty()) {
      for (Map.Entry<String, String> h : message.headers().entrySet()) {
        headers.add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return record;
  }

  /** Reads records into messages on one consumer thread; not thread-safe. */
  static final class Reader {
    private final QueueEnvelope.Reader envelopes = new QueueEnvelope.Reader();

    QueueMessage toMessage(ConsumerRecord<String, byte[]> record) {
      byte[] envelope = null;
      Map<String, String> others = null;
      // An indexed loop over a copy of the (nearly always one-element) array, not the Headers'
      // iterator: its two iterator objects and interface calls per header took more of the consumer
      // threads' time under load (JFR) than the rest of this method.
      Header[] all = record.headers().toArray();
      for (Header h : all) {
        String name = h.key();
        if (envelope == null && name.equals(QueueHeaders.ENVELOPE)) {
          envelope = h.value() == null ? EMPTY : h.value();
        } else if (h.value() != null) {
          if (others == null) {
            others = new HashMap<>(8);
          }
          others.put(name, new String(h.value(), StandardCharsets.UTF_8));
        }
      }
      // Built here and never changed: wrapped as they are rather than copied (one message per call).
      Map<String, String> headers = others == null ? Map.of() : Collections.unmodifiableMap(others);
      byte[] body = record.value() == null ? EMPTY : record.value();
      if (envelope != null) {
        try {
          return envelopes.decode(envelope, record.key(), headers, body);
        } catch (IllegalArgumentException e) {
          return withoutId(record, headers, body, e.getMessage());
        }
      }
      return withoutId(record, headers, body, "no header " + QueueHeaders.ENVELOPE + " on " + record.topic() + "-"
          + record.partition() + " at offset " + record.offset() + " (not from a Courier client, or from one"
          + " before wire format 2)");
    }

    private static QueueMessage withoutId(ConsumerRecord<String, byte[]> record, Map<String, String> headers,
        byte[] body, String why) {
      Map<String, String> withError = new HashMap<>(headers);
      withError.put(QueueHeaders.ERROR, why);
      return QueueMessage.of(record.key(), null, QueueMessage.NO_DEADLINE, null, 0, null,
          Collections.unmodifiableMap(withError), body);
    }
  }
}
