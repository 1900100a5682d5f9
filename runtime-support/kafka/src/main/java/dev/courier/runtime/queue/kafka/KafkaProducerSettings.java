package dev.courier.runtime.queue.kafka;

import java.util.Properties;

/**
 * The properties of a {@link KafkaQueue}'s one producer: the settings chosen for latency and
 * durability (the package documentation says why each), then the properties for every client,
 * then those for the producer only, each winning over what came before. Stateless.
 */
final class KafkaProducerSettings {
  private KafkaProducerSettings() {}

  static Properties of(KafkaQueueConfig config) {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers());
    p.put("client.id", config.clientId());
    p.put("linger.ms", "0");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("batch.size", "65536");
    // One produce request in flight per broker: while it is out, the next calls collect into one
    // batch, so batches grow with the load and need no linger (which would delay every call when
    // the load is light). On a busy broker this doubled queue-call throughput here: per-request
    // cost dominates, and with 5 requests in flight they left half as full.
    p.put("max.in.flight.requests.per.connection", "1");
    p.putAll(config.properties());
    p.putAll(config.producerProperties());
    return p;
  }
}
