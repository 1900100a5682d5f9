package dev.courier.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.queue.KafkaQueue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void kafkaSecretSettingsAreSecrets() {
    assertThat(Secrets.isSecret("sasl.jaas.config")).isTrue();
    assertThat(Secrets.isSecret("ssl.key.password")).isTrue();
    assertThat(Secrets.isSecret("ssl.keystore.password")).isTrue();
    assertThat(Secrets.isSecret("ssl.truststore.password")).isTrue();
    assertThat(Secrets.isSecret("ssl.keystore.key")).isTrue();
    assertThat(Secrets.isSecret("sasl.oauthbearer.client.credentials.client.secret")).isTrue();
    assertThat(Secrets.isSecret("consul.token")).isTrue();
  }

  @Test
  void ordinarySettingsAreNotSecrets() {
    assertThat(Secrets.isSecret("bootstrap.servers")).isFalse();
    assertThat(Secrets.isSecret("key.serializer")).isFalse();
    assertThat(Secrets.isSecret("security.protocol")).isFalse();
    assertThat(Secrets.isSecret("ssl.truststore.location")).isFalse();
  }

  @Test
  void toStringRedactsSecretValuesAndSortsKeys() {
    assertThat(Secrets.toString(Map.of("b", "2", "ssl.key.password", "pw", "a", "1")))
        .isEqualTo("{a=1, b=2, ssl.key.password=[redacted]}");
  }

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
