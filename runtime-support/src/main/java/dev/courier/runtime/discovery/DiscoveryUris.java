package dev.courier.runtime.discovery;

import dev.courier.runtime.discovery.consul.ConsulDiscovery;
import dev.courier.runtime.discovery.zookeeper.ZooKeeperDiscovery;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Parses the URIs of {@link Discovery#fromUri}. Stateless. */
final class DiscoveryUris {
  private static final String FORMS = "static:host:port,..., zookeeper://host:port,.../base/path,"
      + " consul://host:port or consul+https://host:port";

  private DiscoveryUris() {}

  static Discovery parse(String uri, Map<String, String> env) {
    Objects.requireNonNull(uri, "uri");
    String text = uri.trim();
    if (text.startsWith("static:")) {
      List<Endpoint> endpoints = new ArrayList<>();
      for (String part : text.substring("static:".length()).split(",")) {
        if (!part.isBlank()) {
          endpoints.add(Endpoint.parse(part));
        }
      }
      if (endpoints.isEmpty()) {
        throw bad(text, "at least one host:port");
      }
      return Discovery.fixed(endpoints);
    }
    if (text.startsWith("zookeeper://")) {
      return zookeeper(text);
    }
    if (text.startsWith("consul://") || text.startsWith("consul+https://")) {
      return consul(text, env);
    }
    throw bad(text, FORMS);
  }

  private static Discovery zookeeper(String text) {
    String rest = text.substring("zookeeper://".length());
    Map<String, String> params = new HashMap<>();
    rest = splitQuery(rest, params);
    ZooKeeperDiscovery.Builder b = ZooKeeperDiscovery.builder();
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon <= 0) {
        throw bad(text, "zookeeper://user:password@host:port/...");
      }
      b.credentials(decode(userInfo.substring(0, colon)), decode(userInfo.substring(colon + 1)));
    }
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    if (hosts.isBlank()) {
      throw bad(text, "zookeeper://host:port[,host:port...][/base/path]");
    }
    b.connectString(hosts);
    if (slash >= 0 && slash < rest.length() - 1) {
      b.basePath(rest.substring(slash));
    }
    if (params.containsKey("sessionTimeout")) {
      b.sessionTimeout(duration(text, params.get("sessionTimeout")));
    }
    return b.build();
  }

  private static Discovery consul(String text, Map<String, String> env) {
    boolean https = text.startsWith("consul+https://");
    String rest = text.substring(https ? "consul+https://".length() : "consul://".length());
    Map<String, String> params = new HashMap<>();
    rest = splitQuery(rest, params);
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isBlank() || rest.contains("/") || rest.contains("@")) {
      throw bad(text, "consul://host:port (the token comes from CONSUL_HTTP_TOKEN)");
    }
    ConsulDiscovery.Builder b = ConsulDiscovery.builder().url((https ? "https://" : "http://") + rest);
    String token = env.get("CONSUL_HTTP_TOKEN");
    if (token != null && !token.isBlank()) {
      b.aclToken(token);
    }
    if (params.containsKey("wait")) {
      b.wait(duration(text, params.get("wait")));
    }
    if (params.containsKey("ttl")) {
      b.ttlCheck(duration(text, params.get("ttl")));
    }
    String check = params.getOrDefault("check", "ttl");
    if (check.equals("grpc")) {
      b.grpcCheck(duration(text, params.getOrDefault("interval", "10s")));
    } else if (!check.equals("ttl")) {
      throw bad(text, "check=ttl or check=grpc");
    }
    return b.build();
  }

  private static String splitQuery(String rest, Map<String, String> params) {
    int q = rest.indexOf('?');
    if (q < 0) {
      return rest;
    }
    for (String pair : rest.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(pair.substring(0, eq), decode(pair.substring(eq + 1)));
      }
    }
    return rest.substring(0, q);
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}. */
  static Duration duration(String text, String value) {
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      long n = Long.parseLong(value.substring(0, value.length() - 1));
      switch (value.charAt(value.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // fall through to the error below
    }
    throw bad(text, "durations like 500ms, 30s or 2m, not '" + value + "'");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** Never repeats credentials: user info is cut out of the URI in the message. */
  private static IllegalArgumentException bad(String text, String expected) {
    String shown = text.replaceAll("//[^/@]*@", "//****@");
    return new IllegalArgumentException("discovery: '" + shown + "' (expected: " + expected + ")");
  }
}
