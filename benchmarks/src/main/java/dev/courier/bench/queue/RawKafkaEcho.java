package dev.courier.bench.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * reply topic, consumer-group worker), with the same producer settings ({@code linger.ms=0},
 * {@code acks=all}) but none of Courier's bookkeeping (no deadline, dedup, dead letters or
 * commit-after-reply: the worker auto-commits).
 */
final class RawKafkaEcho implements AutoCloseable {
  private static final String REQUESTS = "raw.requests";
  private static final String REPLIES = "raw.replies";

  private final KafkaProducer<String, byte[]> clientProducer;
  private final KafkaProducer<String, byte[]> workerProducer;
  private final KafkaConsumer<String, byte[]> replyConsumer;
  private final KafkaConsumer<String, byte[]> workerConsumer;
  private final Map<Long, CompletableFuture<StringValue>> pending = new ConcurrentHashMap<>();
  private final Thread replyThread;
  private final Thread workerThread;
  private volatile boolean running = true;

  RawKafkaEcho(String bootstrap, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(REQUESTS, partitions, (short) 1),
          new NewTopic(REPLIES, 1, (short) 1))).all().get();
    }
    clientProducer = producer(bootstrap);
    workerProducer = producer(bootstrap);
    Properties rc = new Properties();
    rc.put("bootstrap.servers", bootstrap);
    replyConsumer = new KafkaConsumer<>(rc, new StringDeserializer(), new ByteArrayDeserializer());
    TopicPartition replies = new TopicPartition(REPLIES, 0);
    replyConsumer.assign(List.of(replies));
    replyConsumer.seekToBeginning(List.of(replies));
    replyConsumer.position(replies);
    Properties wc = new Properties();
    wc.put("bootstrap.servers", bootstrap);
    wc.put("group.id", "raw-workers");
    wc.put("auto.offset.reset", "earliest");
    workerConsumer = new KafkaConsumer<>(wc, new StringDeserializer(), new ByteArrayDeserializer());
    workerConsumer.subscribe(List.of(REQUESTS));
    replyThread = new Thread(this::replies, "raw-replies");
    workerThread = new Thread(this::work, "raw-worker");
    replyThread.start();
    workerThread.start();
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "0");
    p.put("acks", "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  CompletableFuture<StringValue> call(String key, StringValue request) {
    long id = System.nanoTime() ^ Thread.currentThread().getId() << 48;
    while (pending.containsKey(id)) {
      id++;
    }
    CompletableFuture<StringValue> f = new CompletableFuture<>();
    pending.put(id, f);
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(REQUESTS, key, request.toByteArray());
    record.headers().add("corr", ByteBuffer.allocate(8).putLong(id).array());
    long sent = id;
    clientProducer.send(record, (m, e) -> {
      if (e != null) {
        CompletableFuture<StringValue> p = pending.remove(sent);
        if (p != null) {
          p.completeExceptionally(e);
        }
      }
    });
    return f;
  }

  private void work() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : workerConsumer.poll(Duration.ofMillis(50))) {
          StringValue req = StringValue.parseFrom(r.value());
          StringValue resp = StringValue.of(req.getValue());
          ProducerRecord<String, byte[]> reply = new ProducerRecord<>(REPLIES, null, resp.toByteArray());
          reply.headers().add("corr", r.headers().lastHeader("corr").value());
          workerProducer.send(reply);
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
