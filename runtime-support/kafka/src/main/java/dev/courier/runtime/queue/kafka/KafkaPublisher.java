package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueMessage;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a {@link KafkaQueue}'s records with its one producer. Two ways: {@link #publish}
 * returns a future completed on this publisher's callback thread, never on the producer's I/O
 * thread; {@link #send} runs {@code onPublished} on the I/O thread (for quick bookkeeping) and
 * {@code onFailed} on the callback thread, or on the caller's when the send is refused at once.
 * Failures are {@code UNAVAILABLE} {@code CourierException}s naming the topic and the brokers. The
 * producer gives a record up after the queue's delivery timeout. Thread-safe.
 */
final class KafkaPublisher implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String bootstrapServers;
  private final String timeoutSetting;
  /** Completes publish futures off the producer's I/O thread, where a send could deadlock. */
  private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "courier-kafka-callbacks");
    t.setDaemon(true);
    return t;
  });

  KafkaPublisher(Properties producerProperties, KafkaQueueConfig config) {
    this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer());
    this.bootstrapServers = config.bootstrapServers();
    this.timeoutSetting = "KafkaQueue.builder().deliveryTimeout = " + config.deliveryTimeout().toMillis()
        + " ms, brokerTimeout = " + config.brokerTimeout().toMillis() + " ms";
  }

  /** @param partition the record's partition; {@code null} to let the key (or the partitioner) choose */
  CompletableFuture<Void> publish(String topic, Integer partition, QueueMessage message) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    // Who depends on the future is unknown (a dependent may publish again, and block in send if the
    // producer's buffer is full): complete it on the callback thread, never on the I/O thread.
    send(topic, partition, message, () -> callbacks.execute(() -> result.complete(null)),
        result::completeExceptionally);
    return result;
  }

  void send(String topic, Integer partition, QueueMessage message, Runnable onPublished,
      Consumer<Throwable> onFailed) {
    try {
      producer.send(KafkaRecords.toRecord(topic, partition, message), (metadata, error) -> {
        if (error == null) {
          onPublished.run();
        } else {
          callbacks.execute(() -> onFailed.accept(failure(topic, error)));
        }
      });
    } catch (RuntimeException e) {
      onFailed.accept(failure(topic, e));
    }
  }

  private RuntimeException failure(String topic, Throwable error) {
    return KafkaErrors.unavailable("could not publish to topic " + topic, bootstrapServers, timeoutSetting, error);
  }

  /** Closes the producer after sending what it holds, then stops the callback thread. */
  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      callbacks.shutdown();
    }
  }
}
