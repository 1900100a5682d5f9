package dev.courier.runtime.config.consul;

import dev.courier.runtime.config.ConfigSource;
import dev.courier.runtime.config.ConfigVersion;
import dev.courier.runtime.config.Configs;
import dev.courier.runtime.internal.Checks;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.kv.Value;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * Live configuration held in one Consul KV key as properties text (the keys of the generated
 * config skeleton), followed with blocking queries ({@code GET /v1/kv/<key>?index=..&wait=..}):
 * Consul answers as soon as the key changes, or when the wait ends. One key holds a whole version,
 * so a version is written atomically ({@code consul kv put key @file}).
 *
 * <ul>
 *   <li>The key changes: a new version, revision {@code ModifyIndex <n>}.
 *   <li>The key is deleted, or does not exist: a version with no keys, so every live key falls
 *       back to the builder's and the {@code .proto}'s value.
 *   <li>Consul cannot be reached or answers with an error: no version, one {@link
 *       Listener#onUnavailable} per outage, retries with backoff; the last good version stays.
 *   <li>The key's text is not properties text: no version, {@link Listener#onUnavailable}.
 * </ul>
 *
 * <p>Thread-safe. Each subscription runs its query loop on a daemon thread of its own. The ACL
 * token, if any, is sent as {@code X-Consul-Token} and never shown.
 */
public final class ConsulConfigSource implements ConfigSource, AutoCloseable {
  private final Consul consul;
  private final String url;
  private final String key;
  private final Duration wait;
  private final Duration initialWait;
  private final Duration minRetryDelay;
  private final Duration maxRetryDelay;

  private ConsulConfigSource(Builder b) {
    this.url = b.url;
    this.key = b.key;
    this.wait = b.wait;
    this.initialWait = b.initialWait;
    this.minRetryDelay = b.minRetryDelay;
    this.maxRetryDelay = b.maxRetryDelay;
    Consul.Builder consul = Consul.builder()
        .withUrl(b.url)
        .withPing(false)
        .withConnectTimeoutMillis(5_000)
        // Longer than the longest blocking query: Consul adds up to wait/16 of jitter to it.
        .withReadTimeoutMillis(wait.toMillis() + wait.toMillis() / 16 + 5_000);
    if (b.aclToken != null) {
      consul.withTokenAuth(b.aclToken);
    }
    this.consul = consul.build();
  }

  /** A builder for the key {@code key} (such as {@code courier/config/shop}) on the agent at {@code url}. */
  public static Builder builder(String url, String key) {
    return new Builder(url, key);
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    Watch watch = new Watch(Objects.requireNonNull(listener, "listener"));
    watch.thread.start();
    try {
      if (!watch.firstAnswer.await(initialWait.toMillis(), TimeUnit.MILLISECONDS)) {
        watch.reportUnavailable("no answer from Consul within " + initialWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return watch;
  }

  @Override
  public void close() {
    consul.destroy();
  }

  @Override
  public String toString() {
    return "consul:" + url + "/v1/kv/" + key;
  }

  /** One subscription's blocking-query loop. */
  private final class Watch implements AutoCloseable {
    private final Listener listener;
    private final Thread thread;
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private volatile boolean closed;
    private boolean unavailable; // guarded by this
    private Long lastModifyIndex; // the loop thread's; -1 for "no key"

    Watch(Listener listener) {
      this.listener = listener;
      this.thread = new Thread(this::run, "courier-consul-config-" + key);
      thread.setDaemon(true);
    }

    private void run() {
      BigInteger index = BigInteger.ZERO;
      Duration delay = minRetryDelay;
      int waitSeconds = Math.toIntExact(wait.toSeconds());
      while (!closed) {
        try {
          ConsulResponse<List<Value>> response = consul.keyValueClient()
              .getConsulResponseWithValues(key, QueryOptions.blockSeconds(waitSeconds, index).build());
          index = nextIndex(index, response.getIndex());
          delay = minRetryDelay;
          answered(response.getResponse());
        } catch (RuntimeException e) {
          if (closed) {
            return;
          }
          reportUnavailable("Consul does not answer (" + e + ")");
          if (!sleep(delay)) {
            return;
          }
          delay = delay.multipliedBy(2).compareTo(maxRetryDelay) <= 0 ? delay.multipliedBy(2) : maxRetryDelay;
        }
      }
    }

    /** The key, from a recursive answer that may hold longer keys with the same prefix too. */
    private void answered(List<Value> values) {
      Optional<Value> value = values == null ? Optional.empty()
          : values.stream().filter(v -> v.getKey().equals(key)).findFirst();
      long modifyIndex = value.map(Value::getModifyIndex).orElse(-1L);
      synchronized (this) {
        if (closed) {
          return;
        }
        unavailable = false;
        if (lastModifyIndex == null || lastModifyIndex != modifyIndex) {
          lastModifyIndex = modifyIndex;
          deliver(value.orElse(null));
        }
      }
      firstAnswer.countDown();
    }

    private void deliver(Value value) { // holding this
      if (value == null) {
        listener.onVersion(new ConfigVersion(Map.of(), ConsulConfigSource.this.toString(), "no key"));
        return;
      }
      String text = value.getValueAsString(StandardCharsets.UTF_8).orElse("");
      Map<String, String> values;
      try {
        values = Configs.properties(text);
      } catch (IllegalArgumentException e) {
        listener.onUnavailable(ConsulConfigSource.this.toString(),
            "ModifyIndex " + value.getModifyIndex() + " is not properties text: " + e.getMessage());
        return;
      }
      listener.onVersion(new ConfigVersion(values, ConsulConfigSource.this.toString(),
          "ModifyIndex " + value.getModifyIndex()));
    }

    synchronized void reportUnavailable(String reason) {
      if (!closed && !unavailable) {
        unavailable = true;
        listener.onUnavailable(ConsulConfigSource.this.toString(), reason);
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        closed = true;
      }
      thread.interrupt();
    }
  }

  /**
   * Consul's rules for the next index: reset to 0 when it goes backwards (the raft index was
   * reset), and never block on 0 after the first answer (use 1), so that a broken index cannot
   * turn blocking queries into a busy loop.
   */
  static BigInteger nextIndex(BigInteger previous, BigInteger received) {
    if (received == null || received.signum() <= 0) {
      return BigInteger.ONE;
    }
    return received.compareTo(previous) < 0 ? BigInteger.ZERO : received;
  }

  private static boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Configures a {@link ConsulConfigSource}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final String url;
    private final String key;
    private String aclToken;
    private Duration wait = Duration.ofSeconds(30);
    private Duration initialWait = Duration.ofSeconds(2);
    private Duration minRetryDelay = Duration.ofMillis(250);
    private Duration maxRetryDelay = Duration.ofSeconds(10);

    private Builder(String url, String key) {
      Objects.requireNonNull(url, "url");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw Checks.invalid("url", Checks.quoted(url), "http://host:port or https://host:port");
      }
      Objects.requireNonNull(key, "key");
      String k = key.startsWith("/") ? key.substring(1) : key;
      if (k.isBlank() || k.endsWith("/")) {
        throw Checks.invalid("key", Checks.quoted(key), "a KV key such as courier/config/shop");
      }
      this.url = url;
      this.key = k;
    }

    /** The ACL token, sent as {@code X-Consul-Token}; default none. Never logged. */
    public Builder aclToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isBlank()) {
        throw Checks.invalid("aclToken", "blank", "a token");
      }
      this.aclToken = token;
      return this;
    }

    /** How long one blocking query may wait for a change; default 30 s. */
    public Builder wait(Duration wait) {
      this.wait = Checks.atLeastOneSecond("wait", wait);
      return this;
    }

    /** How long {@code subscribe} waits for the first answer; default 2 s. */
    public Builder initialWait(Duration initialWait) {
      this.initialWait = Checks.notNegative("initialWait", initialWait);
      return this;
    }

    /** Backoff between failed queries, doubling from {@code min} up to {@code max}; default 0.25 s to 10 s. */
    public Builder retryDelay(Duration min, Duration max) {
      Checks.positive("minRetryDelay", min);
      Checks.positive("maxRetryDelay", max);
      if (max.compareTo(min) < 0) {
        throw Checks.invalid("maxRetryDelay", max, ">= " + min);
      }
      this.minRetryDelay = min;
      this.maxRetryDelay = max;
      return this;
    }

    public ConsulConfigSource build() {
      return new ConsulConfigSource(this);
    }
  }
}
