package dev.courier.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;

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
}
