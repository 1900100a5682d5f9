package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueDelivery;
import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.QueueSubscription;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A worker's consumer-group subscription to request topics, run by one daemon thread that alone
 * touches the consumer. Deliveries are acknowledged from any thread; the consumer thread commits,
 * per partition, the lowest offset not yet acknowledged (so a commit never passes a request whose
 * reply is not yet produced), at most once per commit interval, and synchronously
 * when partitions are revoked and on close. When {@code maxInFlight} deliveries are unfinished the
 * partitions are paused. Thread-safe.
 */
final class KafkaSubscription implements QueueSubscription {
  private static final System.Logger LOG = System.getLogger(KafkaSubscription.class.getName());
  private static final Duration POLL = Duration.ofMillis(50);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, String> methodsByTopic;
  private final int maxInFlight;
  private final long commitIntervalMs;
  private final Consumer<QueueDelivery> handler;
  private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
  /** Turns records into messages; the consumer thread's own. */
  private final KafkaRecords.Reader reader = new KafkaRecords.Reader();
  /**
   * Deliveries completed and not yet applied to their partition's progress: a stack linked through
   * {@link Delivery#nextFinished}, pushed from any thread, taken whole by the consumer thread (no
   * queue node per record; the order does not matter to {@link PartitionProgress#finished}).
   */
  private final AtomicReference<Delivery> finished = new AtomicReference<>();
  /**
   * Deliveries handed out and not yet applied as finished: the consumer thread's own (it counts
   * up when it hands one out and down when it applies one from {@link #finished}), so no atomic
   * shared with the threads that complete deliveries.
   */
  private int inFlight;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean aborted;
  private volatile long closeDeadlineNanos;
  private long lastCommitMs;
  /** Whether the assigned partitions are paused because {@code maxInFlight} deliveries are unfinished. */
  private boolean paused;

  KafkaSubscription(Properties consumerProps, Map<String, String> methodsByTopic, int maxInFlight,
      Duration commitInterval, Consumer<QueueDelivery> handler) {
    this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    this.methodsByTopic = Map.copyOf(methodsByTopic);
    this.maxInFlight = maxInFlight;
    this.commitIntervalMs = commitInterval.toMillis();
    this.handler = handler;
    this.thread = new Thread(this::run, "courier-kafka-worker-" + consumerProps.get("group.id"));
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(methodsByTopic.keySet(), new Rebalance());
      while (!stopping.get()) {
        step();
      }
      if (!aborted) {
        drain();
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "queue worker consumer stopped; unacknowledged requests are delivered again", e);
    } finally {
      CloseOptions options = CloseOptions.timeout(Duration.ofSeconds(5));
      consumer.close(options);
    }
  }

  private void step() {
    applyFinished();
    commit(false);
    boolean full = inFlight >= maxInFlight;
    if (full != paused) {
      if (full) {
        consumer.pause(consumer.assignment());
      } else {
        consumer.resume(consumer.assignment());
      }
      paused = full;
    }
    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
    // Partition by partition: one progress lookup per partition and poll, not per record.
    for (TopicPartition tp : records.partitions()) {
      PartitionProgress p = progress.computeIfAbsent(tp, k -> new PartitionProgress());
      String method = methodsByTopic.get(tp.topic());
      for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
        p.dispatched(record.offset());
        inFlight++;
        Delivery delivery = new Delivery(p, record.offset(), method, reader.toMessage(record));
        try {
          handler.accept(delivery);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "worker refused a request from " + tp + "; it is delivered again later", e);
        }
      }
    }
  }

  /** Stops fetching, waits for the deliveries in flight (to the deadline), commits. */
  private void drain() {
    consumer.pause(consumer.assignment());
    paused = true;
    while (inFlight > 0 && System.nanoTime() < closeDeadlineNanos) {
      consumer.poll(POLL);
      applyFinished();
    }
    applyFinished();
    commit(true);
  }

  private void applyFinished() {
    Delivery d = finished.get() == null ? null : finished.getAndSet(null);
    while (d != null) {
      d.progress.finished(d.offset);
      inFlight--;
      d = d.nextFinished;
    }
  }

  private void commit(boolean sync) {
    long now = System.currentTimeMillis();
    if (!sync && now - lastCommitMs < commitIntervalMs) {
      return;
    }
    lastCommitMs = now;
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    progress.forEach((tp, p) -> {
      long offset = p.committable();
      if (offset >= 0) {
        offsets.put(tp, new OffsetAndMetadata(offset));
      }
    });
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets);
      markCommitted(offsets);
    } else {
      consumer.commitAsync(offsets, (done, error) -> {
        if (error != null) {
          LOG.log(Level.DEBUG, "offset commit failed; retried with the next one", error);
        } else {
          markCommitted(done);
        }
      });
    }
  }

  private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      PartitionProgress p = progress.get(tp);
      if (p != null) {
        p.committed(o.offset());
      }
    });
  }

  @Override
  public void close(Duration timeout) {
    closeDeadlineNanos = System.nanoTime() + timeout.toNanos();
    stop();
  }

  @Override
  public void abort() {
    aborted = true;
    stop();
  }

  private void stop() {
    if (stopping.compareAndSet(false, true)) {
      if (aborted) {
        consumer.wakeup();
      }
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Commits what is done before partitions go to another worker. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (aborted) {
        return;
      }
      applyFinished();
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : partitions) {
        PartitionProgress p = progress.remove(tp);
        long offset = p == null ? -1 : p.committable();
        if (offset >= 0) {
          offsets.put(tp, new OffsetAndMetadata(offset));
        }
      }
      if (!offsets.isEmpty()) {
        try {
          consumer.commitSync(offsets);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "commit on revocation failed; those requests are delivered again", e);
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(progress::remove);
    }
  }

  private static final AtomicIntegerFieldUpdater<Delivery> DONE =
      AtomicIntegerFieldUpdater.newUpdater(Delivery.class, "done");

  /** One record handed to the worker. */
  private final class Delivery implements QueueDelivery {
    final PartitionProgress progress;
    final long offset;
    private final String method;
    private final QueueMessage message;
    /** 1 once completed; a field with an updater rather than an AtomicBoolean per record. */
    private volatile int done;
    /** The delivery completed before this one, on the {@link #finished} stack. */
    Delivery nextFinished;

    Delivery(PartitionProgress progress, long offset, String method, QueueMessage message) {
      this.progress = progress;
      this.offset = offset;
      this.method = method;
      this.message = message;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public QueueMessage message() {
      return message;
    }

    @Override
    public void complete() {
      if (!aborted && DONE.compareAndSet(this, 0, 1)) {
        Delivery head;
        do {
          head = finished.get();
          nextFinished = head;
        } while (!finished.compareAndSet(head, this));
      }
    }
  }
}
