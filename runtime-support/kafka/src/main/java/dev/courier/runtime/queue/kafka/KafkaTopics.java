package dev.courier.runtime.queue.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates, checks and deletes a {@link KafkaQueue}'s topics with its one {@link Admin} client. A
 * missing topic is created on first use, with the given partitions and the {@linkplain
 * TopicReplication replication} the settings ask for; a topic known to exist is not asked for
 * again. Every wait for the brokers ends after the queue's broker timeout with an {@code
 * UNAVAILABLE} that names the brokers and what was being done. Thread-safe.
 */
final class KafkaTopics implements AutoCloseable {
  private final Admin admin;
  private final KafkaQueueConfig config;
  private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
  /** How many brokers the cluster has, asked once, when the replication depends on it. */
  private volatile int brokers;

  private KafkaTopics(Admin admin, KafkaQueueConfig config) {
    this.admin = admin;
    this.config = config;
  }

  /** Connects the admin client: the brokers, the client id, the timeouts, the properties for every client. */
  static KafkaTopics connect(KafkaQueueConfig config) {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers());
    p.put("client.id", config.clientId());
    String timeoutMs = Long.toString(config.brokerTimeout().toMillis());
    p.put("default.api.timeout.ms", timeoutMs);
    p.put("request.timeout.ms", timeoutMs);
    p.putAll(config.properties());
    return new KafkaTopics(Admin.create(p), config);
  }

  /**
   * Creates {@code topic} unless it exists.
   *
   * @param purpose what the topic is for, for the error message ("the request topic of ...")
   * @throws dev.courier.runtime.CourierException {@code UNAVAILABLE} when it cannot be created
   */
  void ensure(String topic, int partitions, String purpose) {
    ensure(topic, partitions, purpose, "");
  }

  /**
   * {@link #ensure(String, int, String)} with the purpose in two parts, {@code purpose + subject},
   * joined only when the topic is new: the check runs once per published record.
   */
  void ensure(String topic, int partitions, String purpose, String subject) {
    if (knownTopics.contains(topic)) {
      return;
    }
    create(topic, partitions, purpose + subject);
  }

  private void create(String topic, int partitions, String purpose) {
    String what = "could not create topic " + topic + " (" + purpose + ")";
    TopicReplication replication = TopicReplication.of(config.replicationFactor(), config.minInSyncReplicas(),
        config.replicationFactor() == 0 ? () -> brokers(what) : () -> 0);
    NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.of(replication.factor()))
        .configs(Map.of("min.insync.replicas", Integer.toString(replication.minInSyncReplicas())));
    try {
      admin.createTopics(List.of(newTopic)).all().get(timeoutMs(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw unavailable(what + " with replication factor " + replication.factor() + " and min.insync.replicas "
            + replication.minInSyncReplicas() + " (KafkaQueue.builder().replicationFactor/minInSyncReplicas)",
            e.getCause());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw unavailable(what, new TimeoutException("createTopics did not complete", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted: " + what, e);
    }
    knownTopics.add(topic);
  }

  /**
   * Checks that {@code topic}, which Courier must not create (the shared reply topic), exists, and
   * returns its partition count.
   */
  int partitionsOf(String topic, String purpose) {
    String what = "could not find topic " + topic + " (" + purpose + "; it is not created by Courier: create it"
        + " with your other topics)";
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeoutMs(), TimeUnit.MILLISECONDS).get(topic);
      knownTopics.add(topic);
      return d.partitions().size();
    } catch (ExecutionException e) {
      throw unavailable(what, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw unavailable(what, new TimeoutException("describeTopics did not complete", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted: " + what, e);
    }
  }

  private int brokers(String what) {
    int known = brokers;
    if (known > 0) {
      return known;
    }
    try {
      known = admin.describeCluster().nodes().get(timeoutMs(), TimeUnit.MILLISECONDS).size();
    } catch (ExecutionException e) {
      throw unavailable(what + " (counting the brokers for the default replication factor)", e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw unavailable(what + " (counting the brokers for the default replication factor)",
          new TimeoutException("describeCluster did not complete", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted: " + what, e);
    }
    brokers = known;
    return known;
  }

  private long timeoutMs() {
    return config.brokerTimeout().toMillis();
  }

  private RuntimeException unavailable(String what, Throwable cause) {
    return KafkaErrors.unavailable(what, config.bootstrapServers(),
        "KafkaQueue.builder().brokerTimeout = " + timeoutMs() + " ms", cause);
  }

  /** Deletes {@code topic} in the background (a client's own reply topic, when it closes). */
  void delete(String topic) {
    knownTopics.remove(topic);
    admin.deleteTopics(List.of(topic));
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
