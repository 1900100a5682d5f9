package dev.courier.it.bomkafka;

import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.kafka.KafkaQueue;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Greeter} served and called over Kafka: one {@link KafkaQueue}, a generated
 * {@link GreeterQueueWorker} on it, and a generated {@link GreeterQueueClient} calling it.
 * Closing stops the client, then the worker, then the queue.
 */
public final class GreeterOverKafka implements AutoCloseable {
  private final KafkaQueue queue;
  private final QueueWorkerRuntime worker;
  private final GreeterQueueClient client;

  private GreeterOverKafka(KafkaQueue queue, QueueWorkerRuntime worker, GreeterQueueClient client) {
    this.queue = queue;
    this.worker = worker;
    this.client = client;
  }

  /** Connects to the brokers at {@code bootstrapServers} and starts a worker for {@code service}. */
  public static GreeterOverKafka start(String bootstrapServers, Greeter service) {
    KafkaQueue queue = KafkaQueue.builder()
        .bootstrapServers(bootstrapServers)
        .topicPrefix("bom-kafka.")
        .clientId("bom-kafka")
        .groupId("bom-kafka-workers")
        .partitions(1)
        .build();
    QueueWorkerRuntime worker = null;
    try {
      worker = GreeterQueueWorker.start(service, queue);
      return new GreeterOverKafka(queue, worker, GreeterQueueClient.create(queue));
    } catch (RuntimeException e) {
      if (worker != null) {
        worker.close();
      }
      queue.close();
      throw e;
    }
  }

  /** Greets {@code name} through the queue. */
  public CompletableFuture<GreetReply> greet(String name) {
    return client.greet(GreetRequest.newBuilder().setName(name).build());
  }

  /** How many calls the worker ran. */
  public long executed() {
    return worker.stats().executed();
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      try {
        worker.close();
      } finally {
        queue.close();
      }
    }
  }
}
