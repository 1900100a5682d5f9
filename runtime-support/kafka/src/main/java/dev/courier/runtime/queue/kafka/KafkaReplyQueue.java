package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.ReplyQueue;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The reply topic of one client: a consumer without a group, assigned the topic's single partition
 * from its beginning (the topic is new), on one daemon thread. Thread-safe.
 */
final class KafkaReplyQueue implements ReplyQueue {
  private static final System.Logger LOG = System.getLogger(KafkaReplyQueue.class.getName());

  private final String topic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Consumer<QueueMessage> listener;
  private final Runnable onClose;
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();

  KafkaReplyQueue(String topic, Properties consumerProps, Consumer<QueueMessage> listener, Runnable onClose) {
    this.topic = topic;
    this.listener = listener;
    this.onClose = onClose;
    this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    consumer.position(partition);
    this.thread = new Thread(this::run, "courier-kafka-replies-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!closed.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            listener.accept(KafkaRecords.toMessage(record));
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reply listener failed on " + topic, e);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "reply consumer of " + topic + " stopped", e);
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  @Override
  public String address() {
    return topic;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    onClose.run();
  }
}
