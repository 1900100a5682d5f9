package dev.courier.runtime.queue.memory;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.notNegative;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.queue.QueueDelivery;
import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.QueueSubscription;
import dev.courier.runtime.queue.QueueTransport;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.ReplyQueue;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The embedded queue: clients and workers in one JVM, no servers. The default transport.
 *
 * <p>Each method has a bounded queue of {@link Builder#capacity capacity} messages, counting those
 * waiting and those a worker has taken and not finished. When it is full, {@link #publishRequest}
 * waits up to {@link Builder#fullQueueTimeout} for room (blocking the calling thread: back-pressure)
 * and then fails with {@code RESOURCE_EXHAUSTED}; with a zero timeout it fails at once. Nothing is
 * dropped silently. Replies are handed to the waiting client directly. Dead letters are kept per
 * method (the most recent {@link Builder#deadLetterCapacity}, older ones logged as they go) and
 * read with {@link #deadLetters}.
 *
 * <p>Thread-safe. Nothing survives the JVM: for durability across processes use {@code KafkaQueue} (courier-kafka).
 */
public final class InMemoryQueue implements QueueTransport {
  private static final System.Logger LOG = System.getLogger(InMemoryQueue.class.getName());

  private final int capacity;
  private final Duration fullQueueTimeout;
  private final int deadLetterCapacity;
  private final int maxDeliveryAttempts;
  private final Map<String, MemoryQueue> queues = new ConcurrentHashMap<>();
  private final Map<String, Consumer<QueueMessage>> replyQueues = new ConcurrentHashMap<>();
  private final Map<String, ArrayDeque<QueueMessage>> deadLetters = new LinkedHashMap<>();

  private InMemoryQueue(Builder b) {
    this.capacity = b.capacity;
    this.fullQueueTimeout = b.fullQueueTimeout;
    this.deadLetterCapacity = b.deadLetterCapacity;
    this.maxDeliveryAttempts = b.maxDeliveryAttempts;
  }

  /** A queue with the defaults: capacity 10,000 per method, waits up to 10 s when full. */
  public static InMemoryQueue create() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "courier_memory"}: messages that stay in this process. */
  @Override
  public String system() {
    return "courier_memory";
  }

  @Override
  public CompletableFuture<Void> publishRequest(String method, QueueMessage message) {
    MemoryQueue queue = queue(method);
    try {
      if (queue.offer(message, fullQueueTimeout.toNanos())) {
        return CompletableFuture.completedFuture(null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(
          CourierException.of(Status.Code.CANCELLED, "interrupted while waiting for room in the queue of " + method));
    }
    return CompletableFuture.failedFuture(CourierException.of(Status.Code.RESOURCE_EXHAUSTED,
        "queue of " + method + " is full (capacity: " + queue.capacity() + ", waited "
            + fullQueueTimeout.toMillis() + " ms)"));
  }

  @Override
  public CompletableFuture<Void> publishReply(String address, QueueMessage message) {
    Consumer<QueueMessage> listener = replyQueues.get(address);
    if (listener == null) {
      LOG.log(Level.DEBUG, "reply for closed reply queue " + address + " dropped");
    } else {
      listener.accept(message);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> publishDeadLetter(String method, QueueMessage message) {
    synchronized (deadLetters) {
      ArrayDeque<QueueMessage> letters = deadLetters.computeIfAbsent(method, m -> new ArrayDeque<>());
      if (letters.size() >= deadLetterCapacity) {
        LOG.log(Level.WARNING, "dead-letter store of " + method + " is full; forgetting the oldest: "
            + letters.pollFirst());
      }
      letters.addLast(message);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The dead letters of {@code method} kept so far, oldest first. */
  public List<QueueMessage> deadLetters(String method) {
    synchronized (deadLetters) {
      ArrayDeque<QueueMessage> letters = deadLetters.get(method);
      return letters == null ? List.of() : List.copyOf(letters);
    }
  }

  @Override
  public ReplyQueue openReplyQueue(Consumer<QueueMessage> listener) {
    Objects.requireNonNull(listener, "listener");
    String address = "memory-reply-" + UUID.randomUUID();
    replyQueues.put(address, listener);
    return new ReplyQueue() {
      @Override
      public String address() {
        return address;
      }

      @Override
      public void close() {
        replyQueues.remove(address);
      }
    };
  }

  @Override
  public QueueSubscription subscribe(Set<String> methods, int maxInFlight, Consumer<QueueDelivery> handler) {
    Map<String, MemoryQueue> subscribed = new LinkedHashMap<>();
    for (String method : methods) {
      subscribed.put(method, queue(method));
    }
    return new MemorySubscription(subscribed, maxInFlight, handler);
  }

  @Override
  public int maxDeliveryAttempts() {
    return maxDeliveryAttempts;
  }

  /** Forgets the reply queues; messages still queued are lost with the JVM anyway. */
  @Override
  public void close() {
    replyQueues.clear();
  }

  private MemoryQueue queue(String method) {
    return queues.computeIfAbsent(Objects.requireNonNull(method, "method"), m -> new MemoryQueue(capacity));
  }

  /** Builds an {@link InMemoryQueue}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private int capacity = 10_000;
    private Duration fullQueueTimeout = Duration.ofSeconds(10);
    private int deadLetterCapacity = 10_000;
    private int maxDeliveryAttempts = 3;

    private Builder() {}

    /** Messages per method queue, waiting or in flight; default 10,000. */
    public Builder capacity(int capacity) {
      this.capacity = atLeastOne("capacity", capacity);
      return this;
    }

    /** How long a publisher waits for room in a full queue; zero fails at once. Default 10 s. */
    public Builder fullQueueTimeout(Duration fullQueueTimeout) {
      this.fullQueueTimeout = notNegative("fullQueueTimeout", fullQueueTimeout);
      return this;
    }

    /** Fail at once when a queue is full; same as {@code fullQueueTimeout(Duration.ZERO)}. */
    public Builder failWhenFull() {
      return fullQueueTimeout(Duration.ZERO);
    }

    /** Dead letters kept per method; default 10,000. */
    public Builder deadLetterCapacity(int deadLetterCapacity) {
      this.deadLetterCapacity = atLeastOne("deadLetterCapacity", deadLetterCapacity);
      return this;
    }

    /** The default of {@link QueueWorkerRuntime.Builder#maxDeliveryAttempts}; default 3. */
    public Builder maxDeliveryAttempts(int maxDeliveryAttempts) {
      this.maxDeliveryAttempts = atLeastOne("maxDeliveryAttempts", maxDeliveryAttempts);
      return this;
    }

    /** The queue; it holds nothing yet, and method queues appear on first use. */
    public InMemoryQueue build() {
      return new InMemoryQueue(this);
    }
  }
}
