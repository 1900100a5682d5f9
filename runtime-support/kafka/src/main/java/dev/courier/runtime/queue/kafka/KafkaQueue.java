package dev.courier.runtime.queue.kafka;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.notBlank;
import static dev.courier.runtime.internal.Checks.notNegative;

import dev.courier.runtime.queue.QueueDelivery;
import dev.courier.runtime.queue.QueueHeaders;
import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.QueueSubscription;
import dev.courier.runtime.queue.QueueTransport;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.ReplyQueue;
import dev.courier.runtime.tls.Secrets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

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
 * <p><b>Settings</b> are chosen for latency; the {@linkplain dev.courier.runtime.queue.kafka
 * package documentation} lists each with the reason. Any of them can be overridden with {@link
 * Builder#property}, {@link Builder#producerProperty} or {@link Builder#consumerProperty}.
 *
 * <p>Futures returned by the publish methods complete on one callback thread of this instance, never
 * on the producer's I/O thread, so dependent stages may publish again. (The runtimes' own
 * bookkeeping after a publish skips that hand-off and runs on the I/O thread.)
 *
 * <p>Thread-safe: one producer and one admin client are shared by every client and worker of the
 * instance; each worker and each client has its own consumer. Close clients and workers first.
 */
public final class KafkaQueue implements QueueTransport {
  private final KafkaQueueConfig config;
  private final TopicNames names;
  private final KafkaTopics topics;
  private final KafkaPublisher publisher;

  private KafkaQueue(KafkaQueueConfig config) {
    this.config = config;
    this.names = new TopicNames(config.topicPrefix(), config.deadLetterSuffix(), config.clientId());
    this.topics = KafkaTopics.connect(config);
    try {
      this.publisher = new KafkaPublisher(topics, KafkaProducerSettings.of(config));
    } catch (RuntimeException e) {
      topics.close();
      throw e;
    }
  }

  /** A builder with the defaults described on each setter; {@link Builder#bootstrapServers} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "kafka"}, as OpenTelemetry's messaging conventions name it. */
  @Override
  public String system() {
    return "kafka";
  }

  /** The configuration; secret property values (SASL JAAS config, passwords, keys) are redacted. */
  @Override
  public String toString() {
    return "KafkaQueue" + config;
  }

  /** The request topic of {@code method} (a full gRPC method name). */
  public String requestTopic(String method) {
    return names.request(method);
  }

  /** The dead-letter topic of {@code method}. */
  public String deadLetterTopic(String method) {
    return names.deadLetter(method);
  }

  /** Replaces characters Kafka refuses and shortens over-long names; see {@link TopicNames#legal}. */
  static String topicName(String raw) {
    return TopicNames.legal(raw);
  }

  @Override
  public CompletableFuture<Void> publishRequest(String method, QueueMessage message) {
    return publisher.publish(requestTopic(method), message, config.partitions());
  }

  @Override
  public CompletableFuture<Void> publishReply(String address, QueueMessage message) {
    return publisher.publish(address, message, 1);
  }

  @Override
  public CompletableFuture<Void> publishDeadLetter(String method, QueueMessage message) {
    return publisher.publish(deadLetterTopic(method), message, config.partitions());
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
    publisher.send(requestTopic(method), message, config.partitions(), onPublished, onFailed);
  }

  /** {@inheritDoc} As for the request variant above, {@code onPublished} runs on the I/O thread. */
  @Override
  public void publishReply(String address, QueueMessage message, Runnable onPublished, Consumer<Throwable> onFailed) {
    publisher.send(address, message, 1, onPublished, onFailed);
  }

  @Override
  public ReplyQueue openReplyQueue(Consumer<QueueMessage> listener) {
    Objects.requireNonNull(listener, "listener");
    String topic = names.newReply();
    topics.ensure(topic, 1);
    return new KafkaReplyQueue(topic, KafkaConsumerSettings.forReplies(config), listener, () -> topics.delete(topic));
  }

  @Override
  public QueueSubscription subscribe(Set<String> methods, int maxInFlight, Consumer<QueueDelivery> handler) {
    Map<String, String> methodsByTopic = new LinkedHashMap<>();
    for (String method : methods) {
      String topic = requestTopic(method);
      topics.ensure(topic, config.partitions());
      methodsByTopic.put(topic, method);
    }
    return new KafkaSubscription(KafkaConsumerSettings.forWorkers(config), methodsByTopic, maxInFlight,
        config.commitInterval(), handler);
  }

  @Override
  public int maxDeliveryAttempts() {
    return config.maxDeliveryAttempts();
  }

  /** Closes the producer (after sending what it holds) and the admin client. */
  @Override
  public void close() {
    try {
      publisher.close();
    } finally {
      topics.close();
    }
  }

  /**
   * Builds a {@link KafkaQueue}; setters validate at once, and {@link #build()} freezes the
   * settings. Not thread-safe.
   */
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
      this.bootstrapServers = notBlank("bootstrapServers", bootstrapServers);
      return this;
    }

    /** Prepended to every topic name; default {@code courier.}. May be empty. */
    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
      return this;
    }

    /** Kafka {@code client.id}, also part of reply topic names; default {@code courier}. */
    public Builder clientId(String clientId) {
      this.clientId = notBlank("clientId", clientId);
      return this;
    }

    /** The consumer group of the workers; default {@code courier-workers}. */
    public Builder groupId(String groupId) {
      this.groupId = notBlank("groupId", groupId);
      return this;
    }

    /** Appended to a request topic to name its dead-letter topic; default {@code .dlq}. */
    public Builder deadLetterSuffix(String deadLetterSuffix) {
      this.deadLetterSuffix = notBlank("deadLetterSuffix", deadLetterSuffix);
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
      properties.put(notBlank("name", name), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Many Kafka properties at once; see {@link #property}. */
    public Builder properties(Map<String, String> properties) {
      properties.forEach(this::property);
      return this;
    }

    /** A property for the producer only. */
    public Builder producerProperty(String name, String value) {
      producerProperties.put(notBlank("name", name), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** A property for the consumers only. */
    public Builder consumerProperty(String name, String value) {
      consumerProperties.put(notBlank("name", name), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The settings so far; the values of secret properties ({@code sasl.jaas.config}, {@code
     * ssl.key.password}, {@code ssl.keystore.password}, ... see {@link Secrets}) are redacted.
     */
    @Override
    public String toString() {
      return config().toString();
    }

    /** Connects the producer and admin client; topics are created on first use. */
    public KafkaQueue build() {
      if (bootstrapServers == null) {
        throw new IllegalStateException("bootstrapServers: null (expected: host:port of a broker)");
      }
      return new KafkaQueue(config());
    }

    private KafkaQueueConfig config() {
      return new KafkaQueueConfig(bootstrapServers, topicPrefix, clientId, groupId, deadLetterSuffix, partitions,
          maxDeliveryAttempts, commitInterval, properties, producerProperties, consumerProperties);
    }
  }
}
