package dev.courier.runtime.config.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.runtime.config.ConfigSource;
import dev.courier.runtime.config.Configs;
import dev.courier.runtime.config.LiveConfigContract;
import dev.courier.runtime.discovery.consul.FakeConsul;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Consul KV source against {@link FakeConsul}: Consul's documented KV answers on 127.0.0.1 (no
 * Consul agent can be installed on these machines). Versions are written over HTTP with {@code PUT
 * /v1/kv/<key>}, as {@code consul kv put} does.
 */
class ConsulConfigSourceTest {
  private static final String KEY = "courier/config/test";

  @Nested
  class OnConsulKvAnswers extends LiveConfigContract {
    @Override
    protected Backend backend() throws Exception {
      return new ConsulBackend();
    }
  }

  @Test
  void theUriNamesTheKey() {
    assertThatThrownBy(() -> Configs.fromUri("consul://127.0.0.1:8500"))
        .hasMessage("config: 'consul://127.0.0.1:8500' (expected: consul://host:port/key/path (the token comes from"
            + " CONSUL_HTTP_TOKEN))");
    assertThat(Configs.fromUri("consul://127.0.0.1:8500/courier/config/shop?wait=5s").toString())
        .isEqualTo("consul:http://127.0.0.1:8500/v1/kv/courier/config/shop");
  }

  /** FakeConsul; down is every connection dropped without an answer. */
  static final class ConsulBackend implements LiveConfigContract.Backend {
    private final FakeConsul consul;
    private final ConsulConfigSource source;
    private final HttpClient http = HttpClient.newHttpClient();

    ConsulBackend() throws Exception {
      consul = new FakeConsul();
      source = ConsulConfigSource.builder(consul.url(), KEY).wait(Duration.ofSeconds(5))
          .retryDelay(Duration.ofMillis(20), Duration.ofMillis(100)).build();
    }

    @Override
    public ConfigSource source() {
      return source;
    }

    @Override
    public void write(String properties) throws Exception {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(consul.url() + "/v1/kv/" + KEY))
          .PUT(HttpRequest.BodyPublishers.ofString(properties)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("true");
    }

    @Override
    public void takeDown() {
      consul.stop();
    }

    @Override
    public void bringBack(String properties) {
      consul.restart();
      consul.putKv(KEY, properties);
    }

    @Override
    public void close() {
      source.close();
      consul.close();
    }
  }
}
