package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.ReplyQueue;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The replies of one client: a consumer without a group, assigned its partitions by hand, on one
 * daemon thread. On the client's own topic (new, one partition) it reads from the beginning; on the
 * shared reply topic it reads its one partition, or all of them, from their ends, since what is
 * there already is for calls made before this client started. Its position is fixed before the
 * constructor returns, so no reply to a call made afterwards can be missed. Thread-safe.
 */
final class KafkaReplyQueue implements ReplyQueue {
  private static final System.Logger LOG = System.getLogger(KafkaReplyQueue.class.getName());

  private final ReplyAddress address;
  /** {@link #address} as requests carry it; made once, not per call. */
  private final String addressText;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Consumer<QueueMessage> listener;
  private final Runnable onClose;
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Turns records into messages; the consumer thread's own. */
  private final KafkaRecords.Reader reader = new KafkaRecords.Reader();

  /**
   * @param partitions the partitions of the topic to read
   * @param onClose run once the consumer has stopped (deletes a client's own topic)
   */
  KafkaReplyQueue(ReplyAddress address, List<Integer> partitions, Properties consumerProps,
      Consumer<QueueMessage> listener, Runnable onClose) {
    this.address = address;
    this.addressText = address.toString();
    this.listener = listener;
    this.onClose = onClose;
    this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(address.topic(), p)).toList();
      consumer.assign(assigned);
      if (address.shared()) {
        consumer.seekToEnd(assigned);
      } else {
        consumer.seekToBeginning(assigned);
      }
      assigned.forEach(consumer::position);
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
    this.thread = new Thread(this::run, "courier-kafka-replies-" + address);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!closed.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            listener.accept(reader.toMessage(record));
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reply listener failed on " + address, e);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "reply consumer of " + address + " stopped", e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  @Override
  public String address() {
    return addressText;
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
