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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>The handler may block (the worker runs quick calls in it): when it has not returned for {@code
 * stallTimeout}, a watchdog hands the loop, with the rest of the records polled, to a fresh
 * thread, and the stalled one, once its handler returns, ends without touching the consumer. So
 * polling never waits for a handler, and the worker keeps its place in the consumer group
 * ({@code max.poll.interval.ms}).
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
  /**
   * When the thread running the loop called the handler ({@link #stamp()}, above 0), 0 while it is
   * not in the handler, {@link #TAKEN_OVER} once the watchdog gave the loop to another thread. The
   * one word both the loop's thread and the watchdog change, by compare-and-set, so exactly one of
   * them decides how a stalled handler call ends.
   */
  private final AtomicLong inHandler = new AtomicLong();
  private static final long TAKEN_OVER = -1;
  private final long stallNanos;
  private final long originNanos = System.nanoTime();
  /** The deliveries of the last poll, and the next one to hand out: the loop's own, passed on with it. */
  private Delivery[] batch = new Delivery[64];
  private int batchSize;
  private int batchNext;
  private final String threadName;
  private final Thread watchdog;
  /** Counted down by the thread that closes the consumer. */
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean aborted;
  private volatile long closeDeadlineNanos;
  private long lastCommitMs;
  /** Whether the assigned partitions are paused because {@code maxInFlight} deliveries are unfinished. */
  private boolean paused;

  /**
   * @param stallTimeout how long the handler may keep the loop's thread before another takes over
   *     the loop; well under {@code max.poll.interval.ms}
   */
  KafkaSubscription(Properties consumerProps, Map<String, String> methodsByTopic, int maxInFlight,
      Duration commitInterval, Duration stallTimeout, Consumer<QueueDelivery> handler) {
    this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    this.methodsByTopic = Map.copyOf(methodsByTopic);
    this.maxInFlight = maxInFlight;
    this.commitIntervalMs = commitInterval.toMillis();
    this.stallNanos = stallTimeout.toNanos();
    this.handler = handler;
    this.threadName = "courier-kafka-worker-" + consumerProps.get("group.id");
    try {
      consumer.subscribe(methodsByTopic.keySet(), new Rebalance());
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
    start(threadName);
    this.watchdog = new Thread(this::watch, threadName + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void start(String name) {
    Thread t = new Thread(this::run, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * The loop, on the first thread or on one taking over from a stalled one: hands out the rest of
   * the last poll, polls until stopped, drains, closes the consumer. Ends early, touching nothing,
   * once another thread has taken over.
   */
  private void run() {
    boolean owner = true;
    try {
      owner = dispatch();
      while (owner && !stopping.get()) {
        owner = step();
      }
      if (owner && !aborted) {
        drain();
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      if (!aborted) {
        LOG.log(Level.ERROR, "queue worker consumer stopped; unacknowledged requests are delivered again", e);
      }
    } finally {
      if (owner) {
        // abort() may have interrupted a handler running here; closing must not fail on that.
        Thread.interrupted();
        try {
          consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } finally {
          ended.countDown();
        }
      }
    }
  }

  /** Every quarter of the stall timeout: gives the loop to a fresh thread if the handler has held it too long. */
  private void watch() {
    long period = Math.max(1, stallNanos / 4);
    while (ended.getCount() > 0) {
      try {
        if (ended.await(period, TimeUnit.NANOSECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      long since = inHandler.get();
      if (since > 0 && stamp() - since > stallNanos && inHandler.compareAndSet(since, TAKEN_OVER)) {
        LOG.log(Level.WARNING, "a queue worker's handler has held the consumer thread for over "
            + TimeUnit.NANOSECONDS.toMillis(stallNanos) + " ms; a new thread takes over polling");
        inHandler.set(0);
        start(threadName);
      }
    }
  }

  /** Now, as {@link #inHandler} holds it: above 0. */
  private long stamp() {
    return System.nanoTime() - originNanos + 1;
  }

  /**
   * Hands out the rest of the last poll's deliveries.
   *
   * @return false when a stall made another thread take over the loop (this one must stop)
   */
  private boolean dispatch() {
    while (batchNext < batchSize) {
      Delivery delivery = batch[batchNext];
      batch[batchNext++] = null;
      long since = stamp();
      inHandler.set(since);
      Error fatal = null;
      try {
        handler.accept(delivery);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "worker refused a request to " + delivery.method + " (offset " + delivery.offset
            + "); it is delivered again later", e);
      } catch (Error e) {
        fatal = e;
      }
      if (!inHandler.compareAndSet(since, 0)) {
        // Another thread runs the loop now: this one must not touch the consumer, not even to close it.
        if (fatal != null) {
          LOG.log(Level.ERROR, "a queue worker's handler failed after another thread took over polling", fatal);
        }
        return false;
      }
      if (fatal != null) {
        throw fatal;
      }
    }
    return true;
  }

  private boolean step() {
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
    if (records.count() > batch.length) {
      batch = new Delivery[Math.max(records.count(), batch.length * 2)];
    }
    batchSize = 0;
    batchNext = 0;
    // Partition by partition: one progress lookup per partition and poll, not per record.
    for (TopicPartition tp : records.partitions()) {
      PartitionProgress p = progress.computeIfAbsent(tp, k -> new PartitionProgress());
      String method = methodsByTopic.get(tp.topic());
      for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
        p.dispatched(record.offset());
        inFlight++;
        batch[batchSize++] = new Delivery(p, record.offset(), method, reader.toMessage(record));
      }
    }
    return dispatch();
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
      ended.await();
      watchdog.join();
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
