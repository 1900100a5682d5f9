package dev.courier.runtime.queue.kafka;

import java.util.Properties;

/**
 * The properties of a {@link KafkaQueue}'s one producer: the settings chosen for latency and
 * durability (the package documentation says why each), then the properties for every client,
 * then those for the producer only, each winning over what came before. Stateless.
 */
final class KafkaProducerSettings {
  /** Kafka's default {@code request.timeout.ms}, kept when the delivery timeout leaves room for it. */
  private static final long REQUEST_TIMEOUT_MS = 30_000;

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
    // A record is given up (and its call failed) after the delivery timeout, by default the default
    // call timeout, rather than Kafka's 120 s: a request is not written long after its caller gave
    // up. Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    long deliveryMs = config.deliveryTimeout().toMillis();
    p.put("delivery.timeout.ms", Long.toString(deliveryMs));
    p.put("request.timeout.ms", Long.toString(Math.min(REQUEST_TIMEOUT_MS, deliveryMs)));
    // How long send() may block for metadata (a topic's leader) or buffer space: not Kafka's 60 s.
    p.put("max.block.ms", Long.toString(config.brokerTimeout().toMillis()));
    p.putAll(config.properties());
    p.putAll(config.producerProperties());
    return p;
  }
}
