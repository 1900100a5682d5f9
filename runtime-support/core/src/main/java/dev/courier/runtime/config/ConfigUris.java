package dev.courier.runtime.config;

import dev.courier.runtime.discovery.DiscoveryUri;
import dev.courier.runtime.internal.Checks;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Chooses the source of {@link Configs#fromUri}: {@code file:} here, every other scheme from the {@link ConfigProvider}s. */
final class ConfigUris {
  private ConfigUris() {}

  static ConfigSource parse(String uri, Map<String, String> env, Map<String, ConfigProvider> providers) {
    Objects.requireNonNull(uri, "uri");
    String text = uri.trim();
    if (text.startsWith("file:")) {
      return file(text);
    }
    if (text.indexOf("://") <= 0) {
      throw Checks.invalid("config", Checks.quoted(hide(text)),
          forms(providers));
    }
    DiscoveryUri parsed = DiscoveryUri.parse(text);
    ConfigProvider provider = providers.get(parsed.scheme());
    if (provider == null) {
      int plus = parsed.scheme().indexOf('+');
      String module = "courier-" + (plus < 0 ? parsed.scheme() : parsed.scheme().substring(0, plus));
      throw Configs.bad(parsed, forms(providers) + "; for " + parsed.scheme() + "://, add the artifact dev.courier:"
          + module + " if Courier has one");
    }
    return provider.create(parsed, env);
  }

  /** {@code file:/abs/path}, {@code file:///abs/path} or {@code file:relative/path}, with {@code ?poll=..&quiet=..}. */
  private static ConfigSource file(String text) {
    String rest = text.substring("file:".length());
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (rest.startsWith("//")) {
      rest = rest.substring(2);
    }
    if (rest.isBlank()) {
      throw Checks.invalid("config", Checks.quoted(text), "file:/path/to/courier.properties (or .yaml)");
    }
    FileConfigSource.Builder b = FileConfigSource.builder(Path.of(rest));
    DiscoveryUri params = DiscoveryUri.parse("file://x?" + query);
    for (String key : params.params().keySet()) {
      switch (key) {
        case "poll" -> b.pollEvery(duration(text, params, key));
        case "quiet" -> b.quietPeriod(duration(text, params, key));
        default -> throw Checks.invalid("config", Checks.quoted(text), "file:/path?poll=5s&quiet=100ms, not '" + key + "'");
      }
    }
    return b.build();
  }

  private static java.time.Duration duration(String text, DiscoveryUri params, String key) {
    try {
      return params.duration(key).orElseThrow();
    } catch (IllegalArgumentException e) {
      throw Checks.invalid("config", Checks.quoted(text), key + " as a duration like 100ms or 5s");
    }
  }

  private static String hide(String text) {
    return text.replaceAll("//[^/@]*@", "//****@");
  }

  private static String forms(Map<String, ConfigProvider> providers) {
    StringBuilder forms = new StringBuilder("file:/path/to/courier.properties (or .yaml)");
    for (String scheme : providers.keySet()) {
      forms.append(", ").append(scheme).append("://...");
    }
    return forms.toString();
  }

  /** The providers on the class path, by scheme; looked up on each call (a cold path). */
  static Map<String, ConfigProvider> installed() {
    Map<String, ConfigProvider> byScheme = new TreeMap<>();
    for (ConfigProvider provider : ServiceLoader.load(ConfigProvider.class, ConfigUris.class.getClassLoader())) {
      for (String scheme : provider.schemes()) {
        byScheme.putIfAbsent(scheme, provider);
      }
    }
    return byScheme;
  }
}
