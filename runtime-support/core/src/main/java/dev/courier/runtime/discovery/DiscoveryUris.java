package dev.courier.runtime.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Chooses the backend of {@link Discovery#fromUri}: {@code static:} here, every other scheme from
 * the {@link DiscoveryProvider}s on the class path.
 */
final class DiscoveryUris {
  private DiscoveryUris() {}

  static Discovery parse(String uri, Map<String, String> env) {
    return parse(uri, env, installed());
  }

  static Discovery parse(String uri, Map<String, String> env, Map<String, DiscoveryProvider> providers) {
    Objects.requireNonNull(uri, "uri");
    String text = uri.trim();
    if (text.startsWith("static:")) {
      return fixed(text);
    }
    if (text.indexOf("://") <= 0) {
      throw DiscoveryUri.bad(text, forms(providers));
    }
    DiscoveryUri parsed = DiscoveryUri.parse(text);
    DiscoveryProvider provider = providers.get(parsed.scheme());
    if (provider == null) {
      int plus = parsed.scheme().indexOf('+');
      String module = "courier-" + (plus < 0 ? parsed.scheme() : parsed.scheme().substring(0, plus));
      throw DiscoveryUri.bad(text, forms(providers) + "; for " + parsed.scheme()
          + "://, add the artifact dev.courier:" + module + " if Courier has one");
    }
    return provider.create(parsed, env);
  }

  private static Discovery fixed(String text) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String part : text.substring("static:".length()).split(",")) {
      if (!part.isBlank()) {
        endpoints.add(Endpoint.parse(part));
      }
    }
    if (endpoints.isEmpty()) {
      throw DiscoveryUri.bad(text, "at least one host:port");
    }
    return Discovery.fixed(endpoints);
  }

  private static String forms(Map<String, DiscoveryProvider> providers) {
    StringBuilder forms = new StringBuilder("static:host:port,...");
    for (String scheme : providers.keySet()) {
      forms.append(", ").append(scheme).append("://...");
    }
    return forms.toString();
  }

  /** The providers on the class path, by scheme; looked up on each call (a cold path). */
  static Map<String, DiscoveryProvider> installed() {
    Map<String, DiscoveryProvider> byScheme = new TreeMap<>();
    for (DiscoveryProvider provider : ServiceLoader.load(DiscoveryProvider.class, DiscoveryUris.class.getClassLoader())) {
      for (String scheme : provider.schemes()) {
        byScheme.putIfAbsent(scheme, provider);
      }
    }
    return byScheme;
  }
}
