package dev.courier.runtime.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A {@link KafkaQueue.Builder} never prints a secret. */
class KafkaQueueSecretsTest {
  @Test
  void kafkaQueueBuilderToStringRedactsSaslAndStorePasswords() {
    String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cr3t\";";
    KafkaQueue.Builder builder = KafkaQueue.builder()
        .bootstrapServers("127.0.0.1:9093")
        .property("security.protocol", "SASL_SSL")
        .property("sasl.mechanism", "PLAIN")
        .property("sasl.jaas.config", jaas)
        .property("ssl.truststore.password", "trust-pw")
        .producerProperty("ssl.keystore.password", "store-pw")
        .consumerProperty("ssl.key.password", "key-pw");

    assertThat(builder.toString())
        .contains("sasl.jaas.config=[redacted]", "ssl.truststore.password=[redacted]",
            "ssl.keystore.password=[redacted]", "ssl.key.password=[redacted]",
            "security.protocol=SASL_SSL", "bootstrapServers=127.0.0.1:9093")
        .doesNotContain("s3cr3t", "trust-pw", "store-pw", "key-pw");
  }
}
