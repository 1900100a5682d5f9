package dev.courier.runtime.queue.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates and deletes a {@link KafkaQueue}'s topics with its one {@link Admin} client. A missing
 * topic is created on first use, with the given partitions and the broker's default replication;
 * a topic known to exist is not asked for again. Thread-safe.
 */
final class KafkaTopics implements AutoCloseable {
  private final Admin admin;
  private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();

  private KafkaTopics(Admin admin) {
    this.admin = admin;
  }

  /** Connects the admin client: the brokers, the client id, and the properties for every client. */
  static KafkaTopics connect(KafkaQueueConfig config) {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers());
    p.put("client.id", config.clientId());
    p.putAll(config.properties());
    return new KafkaTopics(Admin.create(p));
  }

  /**
   * Creates {@code topic} unless it exists.
   *
   * @throws dev.courier.runtime.CourierException {@code UNAVAILABLE} when it cannot be created
   */
  void ensure(String topic, int partitions) {
    if (knownTopics.contains(topic)) {
      return;
    }
    try {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
          .all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw KafkaErrors.unavailable("could not create topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaErrors.unavailable("interrupted while creating topic " + topic, e);
    }
    knownTopics.add(topic);
  }

  /** Deletes {@code topic} in the background (a reply topic, when its client closes). */
  void delete(String topic) {
    knownTopics.remove(topic);
    admin.deleteTopics(List.of(topic));
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
