package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Converts between {@link QueueMessage}s and Kafka records (headers as UTF-8 strings). */
final class KafkaRecords {
  private static final byte[] EMPTY = new byte[0];

  private KafkaRecords() {}

  /** @param partition {@code null} to let the key (or the partitioner) choose */
  static ProducerRecord<String, byte[]> toRecord(String topic, Integer partition, QueueMessage message) {
    RecordHeaders headers = new RecordHeaders();
    message.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(topic, partition, message.key(), message.body(), headers);
  }

  static QueueMessage toMessage(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new HashMap<>(8);
    for (Header h : record.headers()) {
      if (h.value() != null) {
        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    byte[] body = record.value() == null ? EMPTY : record.value();
    // Built here and never changed: wrapped as it is rather than copied (one message per call).
    return QueueMessage.wrap(record.key(), Collections.unmodifiableMap(headers), body);
  }
}
