package dev.courier.runtime.queue.kafka;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.notBlank;
import static dev.courier.runtime.internal.Checks.notNegative;
import static dev.courier.runtime.internal.Checks.positive;

import dev.courier.runtime.internal.Checks;
import dev.courier.runtime.queue.QueueClientRuntime;
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
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;

/**
 * The transport on Apache Kafka, for clients and workers on many machines.
 *
 * <p><b>Topics.</b> Each method has a request topic, {@code <prefix><package.Service>-<Method>}
 * (characters Kafka does not allow become {@code _}; default prefix {@code courier.}), and a
 * dead-letter topic, the request topic plus {@code .dlq}. Missing topics are created with the
 * {@link Admin} client ({@link Builder#partitions}, default 4; {@link Builder#replicationFactor},
 * default {@code min(3, brokers)}; {@link Builder#minInSyncReplicas}, default one less). Replies go
 * either to a topic of each client instance, {@code <prefix>reply.<clientId>.<random>}, one
 * partition, deleted when the client closes (the default: nothing to set up), or to a {@linkplain
 * Builder#replyTopic shared reply topic} that operations create, where each client reads its own
 * partition (the choice for production). The record key is the method's hash key, so the calls for
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
  /** The default {@link Builder#brokerTimeout}. */
  public static final Duration DEFAULT_BROKER_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaQueueConfig config;
  private final TopicNames names;
  private final KafkaTopics topics;
  private final KafkaPublisher publisher;
  /** The reply address parsed last, by any thread (each pair is right for its own string). */
  private volatile ParsedReplyAddress lastReplyAddress;

  /** A reply address as it came, and parsed. */
  private record ParsedReplyAddress(String address, ReplyAddress parsed) {}

  /** The last method published to and its request topic, which exists ({@link #requestTopic}). */
  private volatile EnsuredRequestTopic lastRequestTopic;

  private record EnsuredRequestTopic(String method, String topic) {}

  private KafkaQueue(KafkaQueueConfig config) {
    this.config = config;
    this.names = new TopicNames(config.topicPrefix(), config.deadLetterSuffix(), config.clientId());
    this.topics = KafkaTopics.connect(config);
    try {
      this.publisher = new KafkaPublisher(KafkaProducerSettings.of(config), config);
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

  /**
   * The properties this queue gives its producer: Courier's settings (see the {@linkplain
   * dev.courier.runtime.queue.kafka package documentation}), then {@link Builder#property} and
   * {@link Builder#producerProperty}. A copy; for tools and benchmarks that must use the very same.
   */
  public Properties producerSettings() {
    return KafkaProducerSettings.of(config);
  }

  /** The properties of a worker's consumer, as {@link #producerSettings()} for the producer. */
  public Properties workerConsumerSettings() {
    return KafkaConsumerSettings.forWorkers(config);
  }

  /** The properties of a client's reply consumer, as {@link #producerSettings()} for the producer. */
  public Properties replyConsumerSettings() {
    return KafkaConsumerSettings.forReplies(config);
  }

  @Override
  public CompletableFuture<Void> publishRequest(String method, QueueMessage message) {
    return publisher.publish(requestTopic(method, true), null, message);
  }

  @Override
  public CompletableFuture<Void> publishReply(String address, QueueMessage message) {
    try {
      ReplyAddress to = replyTopic(address);
      return publisher.publish(to.topic(), to.recordPartition(), message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> publishDeadLetter(String method, QueueMessage message) {
    try {
      String topic = deadLetterTopic(method);
      topics.ensure(topic, config.partitions(), "the dead-letter topic of ", method);
      return publisher.publish(topic, null, message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
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
    String topic;
    try {
      topic = requestTopic(method, true);
    } catch (RuntimeException e) {
      onFailed.accept(e);
      return;
    }
    publisher.send(topic, null, message, onPublished, onFailed);
  }

  /** {@inheritDoc} As for the request variant above, {@code onPublished} runs on the I/O thread. */
  @Override
  public void publishReply(String address, QueueMessage message, Runnable onPublished, Consumer<Throwable> onFailed) {
    ReplyAddress to;
    try {
      to = replyTopic(address);
    } catch (RuntimeException e) {
      onFailed.accept(e);
      return;
    }
    publisher.send(to.topic(), to.recordPartition(), message, onPublished, onFailed);
  }

  /** The request topic of {@code method}, created first when {@code ensure} and it is new. */
  private String requestTopic(String method, boolean ensure) {
    // A client mostly calls one method after another: the last one's topic, known to exist, saves
    // the two map lookups below per request (request topics are never deleted).
    EnsuredRequestTopic last = lastRequestTopic;
    if (ensure && last != null && last.method() == method) {
      return last.topic();
    }
    String topic = names.request(method);
    if (ensure) {
      topics.ensure(topic, config.partitions(), "the request topic of ", method);
      lastRequestTopic = new EnsuredRequestTopic(method, topic);
    }
    return topic;
  }

  /** Where a reply goes; a client's own topic is created if it is not there (Courier never creates the shared one). */
  private ReplyAddress replyTopic(String address) {
    // Parsed once per run of requests from one client: the envelope reader hands out the same string.
    ParsedReplyAddress last = lastReplyAddress;
    ReplyAddress to;
    if (last != null && last.address() == address) {
      to = last.parsed();
    } else {
      to = ReplyAddress.parse(address);
      lastReplyAddress = new ParsedReplyAddress(address, to);
    }
    if (!to.shared()) {
      topics.ensure(to.topic(), 1, "the reply topic of a client");
    }
    return to;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Without {@link Builder#replyTopic}, creates this client's own reply topic (one partition,
   * deleted on close). With it, checks that the shared topic exists and reads {@link
   * Builder#replyPartition its partition}, or all of them.
   *
   * @throws dev.courier.runtime.CourierException {@code UNAVAILABLE} naming the brokers and the
   *     topic when the brokers do not answer within the {@link Builder#brokerTimeout} or refuse
   */
  @Override
  public ReplyQueue openReplyQueue(Consumer<QueueMessage> listener) {
    Objects.requireNonNull(listener, "listener");
    ReplyAddress address;
    List<Integer> partitions;
    Runnable onClose;
    if (config.replyTopic() == null) {
      String topic = names.newReply();
      topics.ensure(topic, 1, "the reply topic of client " + config.clientId());
      address = ReplyAddress.own(topic);
      partitions = List.of(0);
      onClose = () -> topics.delete(topic);
    } else {
      String purpose = "the shared reply topic, KafkaQueue.builder().replyTopic";
      int count = topics.partitionsOf(config.replyTopic(), purpose);
      int partition = config.replyPartition();
      if (partition >= count) {
        throw KafkaErrors.unavailable("could not read partition " + partition + " of " + purpose + " "
            + config.replyTopic() + ", which has " + count + " (KafkaQueue.builder().replyPartition: expected 0 to "
            + (count - 1) + ")", config.bootstrapServers(), "", new IllegalArgumentException("no such partition"));
      }
      address = ReplyAddress.shared(config.replyTopic(), partition);
      partitions = partition >= 0 ? List.of(partition) : IntStream.range(0, count).boxed().toList();
      onClose = () -> {};
    }
    try {
      return new KafkaReplyQueue(address, partitions, KafkaConsumerSettings.forReplies(config), listener, onClose);
    } catch (RuntimeException e) {
      onClose.run();
      throw KafkaErrors.unavailable("could not start reading reply topic " + address, config.bootstrapServers(),
          "KafkaQueue.builder().brokerTimeout = " + config.brokerTimeout().toMillis() + " ms", e);
    }
  }

  @Override
  public QueueSubscription subscribe(Set<String> methods, int maxInFlight, Consumer<QueueDelivery> handler) {
    Map<String, String> methodsByTopic = new LinkedHashMap<>();
    for (String method : methods) {
      methodsByTopic.put(requestTopic(method, true), method);
    }
    Properties consumerProps = KafkaConsumerSettings.forWorkers(config);
    return new KafkaSubscription(consumerProps, methodsByTopic, maxInFlight, config.commitInterval(),
        KafkaConsumerSettings.stallTimeout(consumerProps), handler);
  }

  /**
   * True: a worker's subscription hands its polling to a fresh thread when the handler holds the
   * consumer thread for over a second (a third of {@code max.poll.interval.ms} when that is
   * shorter), so the worker may run quick calls on that thread.
   */
  @Override
  public boolean survivesBlockingHandler() {
    return true;
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
    private Duration brokerTimeout = DEFAULT_BROKER_TIMEOUT;
    private Duration deliveryTimeout = QueueClientRuntime.DEFAULT_TIMEOUT;
    private int replicationFactor;
    private int minInSyncReplicas;
    private String replyTopic;
    private int replyPartition = -1;
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

    /**
     * How long one operation waits for the brokers before it fails with {@code UNAVAILABLE} naming
     * them and what it was doing: creating or checking a topic (so {@code XxxQueueClient.create}
     * and {@code XxxQueueWorker.start} with the brokers down), a consumer's blocking calls, and a
     * send's wait for a topic's metadata or for buffer space. Default 10 seconds. Sets the admin
     * client's {@code default.api.timeout.ms} and {@code request.timeout.ms}, the consumers' {@code
     * default.api.timeout.ms} and the producer's {@code max.block.ms}.
     */
    public Builder brokerTimeout(Duration brokerTimeout) {
      this.brokerTimeout = positive("brokerTimeout", brokerTimeout);
      return this;
    }

    /**
     * How long the producer tries to deliver a request, reply or dead letter before it fails it
     * ({@code delivery.timeout.ms}); default {@link QueueClientRuntime#DEFAULT_TIMEOUT}, 30 s, the
     * timeout of a call whose method declares none, rather than Kafka's 120 s, so that a request is
     * not written long after its caller gave up. Calls with shorter timeouts fail at their own
     * deadline whatever this says, and a worker does not run a request whose deadline has passed;
     * set this to the shortest call timeout to keep such requests off the topic too. {@code
     * request.timeout.ms} becomes the smaller of this and Kafka's 30 s (Kafka requires it).
     */
    public Builder deliveryTimeout(Duration deliveryTimeout) {
      this.deliveryTimeout = positive("deliveryTimeout", deliveryTimeout);
      return this;
    }

    /**
     * Replicas of each partition of the topics this queue creates (request and dead-letter topics,
     * and per-client reply topics). Default: {@code min(3, brokers in the cluster)}, so 3 in
     * production and 1 on a single test broker. Topics that exist already are left as they are.
     */
    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = Checks.between("replicationFactor", replicationFactor, 1, Short.MAX_VALUE);
      return this;
    }

    /**
     * {@code min.insync.replicas} of the topics this queue creates: with {@code acks=all}, a write
     * succeeds only once this many replicas have it, and fails with {@code UNAVAILABLE} (after the
     * delivery timeout) while fewer are in sync. Default: the replication factor minus one, at
     * least 1 (so 2 with 3 replicas: one broker may fail without stopping calls or losing any).
     */
    public Builder minInSyncReplicas(int minInSyncReplicas) {
      this.minInSyncReplicas = atLeastOne("minInSyncReplicas", minInSyncReplicas);
      return this;
    }

    /**
     * Replies to this queue's clients go to {@code topic}, a topic the operations team creates
     * (Courier never creates or deletes it), shared by every client instance; the choice for
     * production, since no client then needs the CreateTopics and DeleteTopics ACLs, and a crashed
     * client leaves nothing behind. Each instance reads {@link #replyPartition its own partition},
     * or, without one, every partition, keeping the replies to its own calls (matched by
     * call id) and skipping the others'. Default: none, each client instance creates its
     * own topic, {@code <prefix>reply.<clientId>.<random>}, and deletes it when it closes (zero
     * configuration, for development and tests).
     */
    public Builder replyTopic(String topic) {
      this.replyTopic = notBlank("replyTopic", topic);
      if (!TopicNames.legal(topic).equals(topic)) {
        throw Checks.invalid("replyTopic", topic, "a Kafka topic name: letters, digits, '.', '_', '-', up to 249");
      }
      return this;
    }

    /**
     * The partition of the {@link #replyTopic shared reply topic} this client instance reads, and
     * to which workers send its replies; give each instance a partition of its own (such as its
     * ordinal in a StatefulSet), so that none reads the others' replies. Default: none, the
     * instance reads every partition and keeps only the replies to its own calls, which is simpler
     * to run but makes every client read every reply.
     */
    public Builder replyPartition(int partition) {
      this.replyPartition = Checks.notNegative("replyPartition", partition);
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
      if (replicationFactor > 0 && minInSyncReplicas > replicationFactor) {
        throw Checks.invalid("minInSyncReplicas", minInSyncReplicas, "<= replicationFactor " + replicationFactor);
      }
      if (replyPartition >= 0 && replyTopic == null) {
        throw new IllegalStateException("replyPartition: " + replyPartition
            + " without replyTopic (expected: replyTopic(topic) too; a client's own reply topic has one partition)");
      }
      return new KafkaQueue(config());
    }

    private KafkaQueueConfig config() {
      return new KafkaQueueConfig(bootstrapServers, topicPrefix, clientId, groupId, deadLetterSuffix, partitions,
          maxDeliveryAttempts, commitInterval, brokerTimeout, deliveryTimeout, replicationFactor, minInSyncReplicas,
          replyTopic, replyPartition, properties, producerProperties, consumerProperties);
    }
  }
}
