package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueDelivery;
import dev.courier.runtime.queue.QueueHeaders;
import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.QueueSubscription;
import dev.courier.runtime.queue.QueueTransport;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.ReplyQueue;
import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.notNegative;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.tls.Secrets;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The transport on Apache Kafka, for clients and workers on many machines.
 *
 * <p><b>Topics.</b> Each method has a request topic, {@code <prefix><package.Service>-<Method>}
 * (characters Kafka does not allow become {@code _}; default prefix {@code courier.}), and a
 * dead-letter topic, the request topic plus {@code .dlq}. Each client instance has its own reply
 * topic, {@code <prefix>reply.<clientId>.<random>}, with one partition, deleted when the client
 * closes. Missing topics are created with the {@link Admin} client ({@link Builder#partitions},
 * default 4, broker-default replication). The record key is the method's hash key, so the calls for
 * one key go to one partition and run in order; the headers are those of {@link QueueHeaders}.
 *
 * <p><b>Delivery.</b> Workers of one {@link Builder#groupId group} share the request partitions.
 * A worker commits an offset only once every request before it has its reply (or dead letter)
 * produced, so a worker that dies loses nothing: its uncommitted requests go to the next owner of
 * the partition, and the requests it already answered run again there (at-least-once).
 *
 * <p><b>Settings chosen for latency</b> (any of them can be overridden with {@link
 * Builder#property}, {@link Builder#producerProperty} or {@link Builder#consumerProperty}):
 * <ul>
 *   <li>{@code linger.ms=0}: a request is sent at once. Kafka 4's default of 5 ms puts up to 5 ms
 *       on each of the two hops of a call, and with one call outstanding that cuts throughput
 *       about tenfold. Under load, batches still form while the previous send is in flight.
 *   <li>{@code max.in.flight.requests.per.connection=1}: while one produce request is out, the
 *       next calls collect into one batch, so batches grow with the load without a linger. With
 *       Kafka's 5 in flight they left about half as full, which halved queue-call throughput on a
 *       busy broker.
 *   <li>{@code acks=all} with {@code enable.idempotence=true}: a request or reply is acknowledged
 *       only once it is on every in-sync replica, so "enqueued" means durable, and retries do not
 *       duplicate records. {@code batch.size=65536} lets those batches grow under load.
 *   <li>{@code fetch.min.bytes=1} and {@code fetch.max.wait.ms=500} (Kafka's defaults, spelled
 *       out): a fetch returns as soon as one record is there; the wait bound only matters when
 *       there is none. A shorter bound (100 ms, in earlier versions) buys nothing (a poll, a pause
 *       and a close do not wait for it) and costs the broker: it keeps every waiting fetch on a
 *       finer timer, which took two to four times the broker's timer CPU per call with one call
 *       outstanding.
 *   <li>{@code enable.auto.commit=false} (the worker commits, as above, every {@link
 *       Builder#commitInterval}, default 1 s: each commit is a broker write, and at 100 ms they cost
 *       several percent of the throughput with one call outstanding),
 *       {@code auto.offset.reset=earliest} (requests sent before the first worker joined are
 *       served), {@code max.poll.records=500}, the cooperative-sticky assignor (a worker joining
 *       does not stop the others), and a poll timeout of 50 ms for workers, 200 ms for replies
 *       (a poll returns as soon as records arrive; the timeout only bounds idle loops).
 * </ul>
 *
 * <p>Futures returned by the publish methods complete on one callback thread of this instance, never
 * on the producer's I/O thread, so dependent stages may publish again. (The runtimes' own
 * bookkeeping after a publish skips that hand-off and runs on the I/O thread.)
 *
 * <p>Thread-safe: one producer and one admin client are shared by every client and worker of the
 * instance; each worker and each client has its own consumer. Close clients and workers first.
 */
public final class KafkaQueue implements QueueTransport {
  private static final int MAX_TOPIC_LENGTH = 249;

  private final Builder config;
  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;
  private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
  private final Map<String, String> requestTopics = new ConcurrentHashMap<>();
  /** Completes publish futures off the producer's I/O thread, where a send could deadlock. */
  private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "courier-kafka-callbacks");
    t.setDaemon(true);
    return t;
  });

  private KafkaQueue(Builder b) {
    this.config = b;
    this.admin = Admin.create(adminProps());
    this.producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The configuration; secret property values (SASL JAAS config, passwords, keys) are redacted. */
  @Override
  public String toString() {
    return "KafkaQueue" + config;
  }

  /** The request topic of {@code method} (a full gRPC method name). */
  public String requestTopic(String method) {
    // Remembered: it is needed for every request, and building it walks the name char by char.
    return requestTopics.computeIfAbsent(method,
        m -> topicName(config.topicPrefix + m.replace('/', '-')));
  }

  /** The dead-letter topic of {@code method}. */
  public String deadLetterTopic(String method) {
    return topicName(requestTopic(method) + config.deadLetterSuffix);
  }

  @Override
  public CompletableFuture<Void> publishRequest(String method, QueueMessage message) {
    return publish(requestTopic(method), message, config.partitions);
  }

  @Override
  public CompletableFuture<Void> publishReply(String address, QueueMessage message) {
    return publish(address, message, 1);
  }

  @Override
  public CompletableFuture<Void> publishDeadLetter(String method, QueueMessage message) {
    return publish(deadLetterTopic(method), message, config.partitions);
  }

  private CompletableFuture<Void> publish(String topic, QueueMessage message, int partitions) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    // Who depends on the future is unknown (a dependent may publish again, and block in send if the
    // producer's buffer is full): complete it on the callback thread, never on the I/O thread.
    send(topic, message, partitions, () -> callbacks.execute(() -> result.complete(null)),
        result::completeExceptionally);
    return result;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here {@code onPublished} runs on the producer's I/O thread, which saves a hand-off to the
   * callback thread per call. {@code onFailed} gets the {@code CourierException} on the callback
   * thread (or, if the send is refused at once, on this one).
   */
  @Override
  public void publishRequest(String method, QueueMessage message, Runnable onPublished, Consumer<Throwable> onFailed) {
    send(requestTopic(method), message, config.partitions, onPublished, onFailed);
  }

  /** {@inheritDoc} As for the request variant above, {@code onPublished} runs on the I/O thread. */
  @Override
  public void publishReply(String address, QueueMessage message, Runnable onPublished, Consumer<Throwable> onFailed) {
    send(address, message, 1, onPublished, onFailed);
  }

  private void send(String topic, QueueMessage message, int partitions, Runnable onPublished,
      Consumer<Throwable> onFailed) {
    try {
      ensureTopic(topic, partitions);
      producer.send(KafkaRecords.toRecord(topic, message), (metadata, error) -> {
        if (error == null) {
          onPublished.run();
        } else {
          callbacks.execute(() -> onFailed.accept(unavailable("could not publish to " + topic, error)));
        }
      });
    } catch (RuntimeException e) {
      onFailed.accept(unavailable("could not publish to " + topic, e));
    }
  }

  @Override
  public ReplyQueue openReplyQueue(Consumer<QueueMessage> listener) {
    Objects.requireNonNull(listener, "listener");
    String topic = topicName(config.topicPrefix + "reply." + config.clientId + "."
        + UUID.randomUUID().toString().substring(0, 13));
    ensureTopic(topic, 1);
    Properties props = consumerProps();
    props.remove("group.id");
    return new KafkaReplyQueue(topic, props, listener, () -> {
      knownTopics.remove(topic);
      admin.deleteTopics(List.of(topic));
    });
  }

  @Override
  public QueueSubscription subscribe(Set<String> methods, int maxInFlight, Consumer<QueueDelivery> handler) {
    Map<String, String> methodsByTopic = new LinkedHashMap<>();
    for (String method : methods) {
      String topic = requestTopic(method);
      ensureTopic(topic, config.partitions);
      methodsByTopic.put(topic, method);
    }
    return new KafkaSubscription(consumerProps(), methodsByTopic, maxInFlight, config.commitInterval, handler);
  }

  @Override
  public int maxDeliveryAttempts() {
    return config.maxDeliveryAttempts;
  }

  /** Closes the producer (after sending what it holds) and the admin client. */
  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      admin.close(Duration.ofSeconds(5));
      callbacks.shutdown();
    }
  }

  private void ensureTopic(String topic, int partitions) {
    if (knownTopics.contains(topic)) {
      return;
    }
    try {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
          .all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw unavailable("could not create topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while creating topic " + topic, e);
    }
    knownTopics.add(topic);
  }

  private static CourierException unavailable(String what, Throwable cause) {
    if (cause instanceof CourierException ce) {
      return ce;
    }
    CourierException e = CourierException.of(Status.Code.UNAVAILABLE, what + ": " + cause);
    e.initCause(cause);
    return e;
  }

  /** Replaces characters Kafka refuses and shortens over-long names with a hash suffix. */
  static String topicName(String raw) {
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      sb.append(legal ? c : '_');
    }
    if (sb.length() <= MAX_TOPIC_LENGTH) {
      return sb.toString();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(digest, 0, 8);
      return sb.substring(0, MAX_TOPIC_LENGTH - hash.length() - 1) + '-' + hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Properties common() {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers);
    p.put("client.id", config.clientId);
    p.putAll(config.properties);
    return p;
  }

  private Properties adminProps() {
    return common();
  }

  private Properties producerProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers);
    p.put("client.id", config.clientId);
    p.put("linger.ms", "0");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("batch.size", "65536");
    // One produce request in flight per broker: while it is out, the next calls collect into one
    // batch, so batches grow with the load and need no linger (which would delay every call when
    // the load is light). On a busy broker this doubled queue-call throughput here: per-request
    // cost dominates, and with 5 requests in flight they left half as full.
    p.put("max.in.flight.requests.per.connection", "1");
    p.putAll(config.properties);
    p.putAll(config.producerProperties);
    return p;
  }

  private Properties consumerProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers);
    p.put("client.id", config.clientId);
    p.put("group.id", config.groupId);
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("fetch.min.bytes", "1");
    p.put("fetch.max.wait.ms", "500");
    p.put("max.poll.records", "500");
    p.put("allow.auto.create.topics", "false");
    p.put("partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    p.putAll(config.properties);
    p.putAll(config.consumerProperties);
    return p;
  }

  /** Builds a {@link KafkaQueue}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private String bootstrapServers;
    private String topicPrefix = "courier.";
    private String clientId = "courier";
    private String groupId = "courier-workers";
    private String deadLetterSuffix = ".dlq";
    private int partitions = 4;
    private int maxDeliveryAttempts = 3;
    private Duration commitInterval = Duration.ofSeconds(1);
    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> producerProperties = new HashMap<>();
    private final Map<String, String> consumerProperties = new HashMap<>();

    private Builder() {}

    /** The brokers, {@code host:port[,host:port...]}; required. */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = nonEmpty("bootstrapServers", bootstrapServers);
      return this;
    }

    /** Prepended to every topic name; default {@code courier.}. May be empty. */
    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
      return this;
    }

    /** Kafka {@code client.id}, also part of reply topic names; default {@code courier}. */
    public Builder clientId(String clientId) {
      this.clientId = nonEmpty("clientId", clientId);
      return this;
    }

    /** The consumer group of the workers; default {@code courier-workers}. */
    public Builder groupId(String groupId) {
      this.groupId = nonEmpty("groupId", groupId);
      return this;
    }

    /** Appended to a request topic to name its dead-letter topic; default {@code .dlq}. */
    public Builder deadLetterSuffix(String deadLetterSuffix) {
      this.deadLetterSuffix = nonEmpty("deadLetterSuffix", deadLetterSuffix);
      return this;
    }

    /** Partitions of the request and dead-letter topics this queue creates; default 4. */
    public Builder partitions(int partitions) {
      this.partitions = atLeastOne("partitions", partitions);
      return this;
    }

    /** The default of {@link QueueWorkerRuntime.Builder#maxDeliveryAttempts}; default 3. */
    public Builder maxDeliveryAttempts(int maxDeliveryAttempts) {
      this.maxDeliveryAttempts = atLeastOne("maxDeliveryAttempts", maxDeliveryAttempts);
      return this;
    }

    /**
     * How often a worker commits the offsets of the requests it has answered; default 1 second.
     * A worker that dies without closing leaves the requests it answered since its last commit to
     * run again on the next owner of their partitions (they are never lost); a shorter interval
     * makes that batch smaller and costs the broker an offset commit each time. Rebalances and
     * {@link QueueWorkerRuntime#close()} commit at once, whatever the interval.
     */
    public Builder commitInterval(Duration commitInterval) {
      this.commitInterval = notNegative("commitInterval", commitInterval);
      return this;
    }

    /** A Kafka property for producer, consumers and admin client (TLS, SASL, ...); wins over defaults. */
    public Builder property(String name, String value) {
      properties.put(nonEmpty("name", name), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Many Kafka properties at once; see {@link #property}. */
    public Builder properties(Map<String, String> properties) {
      properties.forEach(this::property);
      return this;
    }

    /** A property for the producer only. */
    public Builder producerProperty(String name, String value) {
      producerProperties.put(nonEmpty("name", name), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** A property for the consumers only. */
    public Builder consumerProperty(String name, String value) {
      consumerProperties.put(nonEmpty("name", name), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The settings so far; the values of secret properties ({@code sasl.jaas.config}, {@code
     * ssl.key.password}, {@code ssl.keystore.password}, ... see {@link Secrets}) are redacted.
     */
    @Override
    public String toString() {
      return "{bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix + ", clientId=" + clientId
          + ", groupId=" + groupId + ", partitions=" + partitions + ", maxDeliveryAttempts=" + maxDeliveryAttempts
          + ", commitInterval=" + commitInterval
          + ", properties=" + Secrets.toString(properties)
          + ", producerProperties=" + Secrets.toString(producerProperties)
          + ", consumerProperties=" + Secrets.toString(consumerProperties) + '}';
    }

    /** Connects the producer and admin client; topics are created on first use. */
    public KafkaQueue build() {
      if (bootstrapServers == null) {
        throw new IllegalStateException("bootstrapServers: null (expected: host:port of a broker)");
      }
      return new KafkaQueue(this);
    }

    private static String nonEmpty(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(String.format("%s: '%s' (expected: not blank)", name, value));
      }
      return value;
    }
  }
}
