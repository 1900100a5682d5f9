package dev.courier.bench.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import dev.courier.runtime.queue.kafka.KafkaQueue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline: a hand-written request/reply loop on kafka-clients doing the same work as a Courier
 * queue call (keyed request with a correlation header, protobuf decode and encode, reply on a
 * reply topic, consumer-group worker) with <b>exactly the producer and consumer properties a
 * {@link KafkaQueue} gives its own clients</b>, read from that queue ({@link
 * KafkaQueue#producerSettings()}, {@link KafkaQueue#workerConsumerSettings()}, {@link
 * KafkaQueue#replyConsumerSettings()}), so the two sides cannot drift apart; only {@code client.id}
 * and {@code group.id} are its own. It leaves out Courier's bookkeeping: one header instead of four,
 * no deadline, dedupe, dead letters or per-key lanes, and it commits each second what it has
 * polled (Courier: what it has answered).
 */
final class RawKafkaEcho implements AutoCloseable {
  private static final String REQUESTS = "raw.requests";
  private static final String REPLIES = "raw.replies";
  private static final long COMMIT_INTERVAL_MS = 1000;

  private final KafkaProducer<String, byte[]> clientProducer;
  private final KafkaProducer<String, byte[]> workerProducer;
  private final KafkaConsumer<String, byte[]> replyConsumer;
  private final KafkaConsumer<String, byte[]> workerConsumer;
  private final Map<Long, CompletableFuture<StringValue>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final Thread replyThread;
  private final Thread workerThread;
  private volatile boolean running = true;

  /** @param settings the queue whose client properties this loop uses, unchanged but for ids */
  RawKafkaEcho(KafkaQueue settings, String bootstrap, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(REQUESTS, partitions, (short) 1),
          new NewTopic(REPLIES, 1, (short) 1))).all().get();
    }
    clientProducer = producer(settings, "raw-client");
    workerProducer = producer(settings, "raw-worker");
    Properties rc = settings.replyConsumerSettings();
    rc.put("client.id", "raw-replies");
    replyConsumer = new KafkaConsumer<>(rc, new StringDeserializer(), new ByteArrayDeserializer());
    TopicPartition replies = new TopicPartition(REPLIES, 0);
    replyConsumer.assign(List.of(replies));
    replyConsumer.seekToBeginning(List.of(replies));
    replyConsumer.position(replies);
    Properties wc = settings.workerConsumerSettings();
    wc.put("client.id", "raw-worker");
    wc.put("group.id", "raw-workers");
    workerConsumer = new KafkaConsumer<>(wc, new StringDeserializer(), new ByteArrayDeserializer());
    workerConsumer.subscribe(List.of(REQUESTS));
    replyThread = new Thread(this::replies, "raw-replies");
    workerThread = new Thread(this::work, "raw-worker");
    replyThread.start();
    workerThread.start();
  }

  private static KafkaProducer<String, byte[]> producer(KafkaQueue settings, String clientId) {
    Properties p = settings.producerSettings();
    p.put("client.id", clientId);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** The settings both sides use, for the benchmark's report. */
  static String describe(KafkaQueue settings) {
    return "producer " + new java.util.TreeMap<>(settings.producerSettings())
        + "; worker consumer " + new java.util.TreeMap<>(settings.workerConsumerSettings())
        + "; reply consumer " + new java.util.TreeMap<>(settings.replyConsumerSettings());
  }

  CompletableFuture<StringValue> call(String key, StringValue request) {
    long id = nextId.incrementAndGet();
    CompletableFuture<StringValue> f = new CompletableFuture<>();
    pending.put(id, f);
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(REQUESTS, key, request.toByteArray());
    record.headers().add("corr", ByteBuffer.allocate(8).putLong(id).array());
    clientProducer.send(record, (m, e) -> {
      if (e != null) {
        CompletableFuture<StringValue> p = pending.remove(id);
        if (p != null) {
          p.completeExceptionally(e);
        }
      }
    });
    return f;
  }

  private void work() {
    long lastCommit = System.currentTimeMillis();
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : workerConsumer.poll(Duration.ofMillis(50))) {
          StringValue req = StringValue.parseFrom(r.value());
          StringValue resp = StringValue.of(req.getValue());
          ProducerRecord<String, byte[]> reply = new ProducerRecord<>(REPLIES, null, resp.toByteArray());
          reply.headers().add("corr", r.headers().lastHeader("corr").value());
          workerProducer.send(reply);
        }
        long now = System.currentTimeMillis();
        if (now - lastCommit >= COMMIT_INTERVAL_MS) {
          workerConsumer.commitAsync();
          lastCommit = now;
        }
      }
    } catch (WakeupException | InvalidProtocolBufferException e) {
      // stopping
    } finally {
      workerConsumer.close();
    }
  }

  private void replies() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : replyConsumer.poll(Duration.ofMillis(200))) {
          Header h = r.headers().lastHeader("corr");
          CompletableFuture<StringValue> f = pending.remove(ByteBuffer.wrap(h.value()).getLong());
          if (f != null) {
            try {
              f.complete(StringValue.parseFrom(r.value()));
            } catch (InvalidProtocolBufferException e) {
              f.completeExceptionally(e);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // stopping
    } finally {
      replyConsumer.close();
    }
  }

  @Override
  public void close() {
    running = false;
    workerConsumer.wakeup();
    replyConsumer.wakeup();
    try {
      workerThread.join();
      replyThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clientProducer.close();
    workerProducer.close();
  }
}
