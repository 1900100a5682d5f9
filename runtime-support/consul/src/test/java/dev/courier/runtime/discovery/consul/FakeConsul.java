package dev.courier.runtime.discovery.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for a Consul agent on 127.0.0.1 (no agent can be installed here), answering with the
 * JSON documented at developer.hashicorp.com/consul/api-docs: {@code GET /v1/health/service/<name>}
 * with {@code passing}, {@code index} and {@code wait} (blocking until the index moves past the
 * given one or the wait ends, {@code X-Consul-Index} on every answer); {@code PUT
 * /v1/agent/service/register}, {@code /deregister/<id>}, {@code /v1/agent/check/pass/service:<id>}.
 * TTL checks start critical, turn passing on a pass and critical again when the TTL runs out; gRPC
 * checks are not run (they count as passing). Every request is recorded with its token header,
 * and every answered health query with why it ended, so tests wait for what the fake saw instead of
 * sleeping. While {@linkplain #stop() stopped} it drops every connection without an answer (the
 * blocking queries waiting then too), counting the health queries it dropped; it keeps its port, so
 * that a restart cannot find it taken.
 *
 * <p>The KV store: {@code GET /v1/kv/<key>} (with {@code recurse}, {@code index}, {@code wait}:
 * blocking until the KV index moves past the given one) answers the documented array of {@code
 * {LockIndex, Key, Flags, Value (base64), CreateIndex, ModifyIndex}}, or 404 with {@code
 * X-Consul-Index} when no key matches; {@code PUT /v1/kv/<key>} stores the body and answers {@code
 * true}; {@code DELETE /v1/kv/<key>} removes it.
 */
public final class FakeConsul implements AutoCloseable {
  /** A request as seen: method, path, raw query, the X-Consul-Token header (or null). */
  record Request(String method, String path, String query, String token) {}

  /**
   * A health query as answered: the index it asked to wait past (0: no wait), the index answered,
   * and whether it ended because its wait ran out (rather than because the index moved).
   */
  record HealthAnswer(long wantedIndex, long answeredIndex, boolean waitRanOut) {}

  private record Entry(byte[] value, long createIndex, long modifyIndex) {}

  private final Map<String, Entry> kv = new java.util.TreeMap<>(); // guarded by this
  private long kvIndex = 1; // guarded by this

  private record Instance(String id, String name, String address, int port, JsonNode meta, int weight, long ttlMillis) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Instance> instances = new LinkedHashMap<>(); // guarded by this
  private final Map<String, String> status = new HashMap<>(); // guarded by this
  private final Map<String, Long> passedAt = new HashMap<>(); // guarded by this
  private final Set<String> deafTo = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<HealthAnswer> healthAnswers = new ArrayList<>(); // guarded by itself
  private int droppedHealthQueries; // guarded by healthAnswers
  private final ScheduledExecutorService ttlTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fake-consul-ttl");
    t.setDaemon(true);
    return t;
  });
  private long index = 7; // guarded by this
  private final int port;
  private volatile HttpServer server;
  private boolean down; // guarded by this

  public FakeConsul() throws IOException {
    start(0);
    this.port = server.getAddress().getPort();
    ttlTimer.scheduleWithFixedDelay(this::expireTtls, 50, 50, TimeUnit.MILLISECONDS);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /**
   * Stops answering: every request, and every blocking query now waiting, ends with its connection
   * dropped and no answer. The registry's state is kept and TTLs stop running.
   */
  public synchronized void stop() {
    down = true;
    notifyAll();
  }

  /** Answers again; like a restarted agent, TTL checks get a fresh TTL. */
  public synchronized void restart() {
    long now = System.currentTimeMillis();
    passedAt.replaceAll((id, at) -> now);
    down = false;
  }

  private synchronized boolean down() {
    return down;
  }

  /** Ends {@code exchange} without an answer: closed before any response header, its connection is dropped. */
  private void drop(HttpExchange exchange, String path) {
    if (path.startsWith("/v1/health/service/")) {
      synchronized (healthAnswers) {
        droppedHealthQueries++;
        healthAnswers.notifyAll();
      }
    }
    exchange.close();
  }

  /** The health queries answered so far, in order. */
  List<HealthAnswer> healthAnswers() {
    synchronized (healthAnswers) {
      return List.copyOf(healthAnswers);
    }
  }

  /** Waits until {@code count} health queries have been answered and returns them all; fails after {@code timeout}. */
  List<HealthAnswer> awaitHealthAnswers(int count, Duration timeout) throws InterruptedException {
    synchronized (healthAnswers) {
      awaitLocked(() -> healthAnswers.size() >= count, timeout, count + " answered health queries");
      return List.copyOf(healthAnswers);
    }
  }

  /** Waits until {@code count} health queries have been dropped while stopped; fails after {@code timeout}. */
  void awaitDroppedHealthQueries(int count, Duration timeout) throws InterruptedException {
    synchronized (healthAnswers) {
      awaitLocked(() -> droppedHealthQueries >= count, timeout, count + " dropped health queries");
    }
  }

  private void awaitLocked(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      TimeUnit.NANOSECONDS.timedWait(healthAnswers, left); // woken by each answer or drop
    }
  }

  /** Sets a check's status, as a failing or recovering health check would. */
  synchronized void setStatus(String id, String newStatus) {
    status.put(id, newStatus);
    changed();
  }

  /** Ignores heartbeats for {@code id} from now on, as if its server had crashed. */
  void ignoreHeartbeatsOf(String id) {
    deafTo.add(id);
  }

  /** Takes heartbeats for {@code id} again. */
  void hearHeartbeatsOf(String id) {
    deafTo.remove(id);
  }

  synchronized Set<String> registeredIds() {
    return Set.copyOf(instances.keySet());
  }

  /** Stores {@code text} under {@code key}, as {@code consul kv put} does. */
  public synchronized void putKv(String key, String text) {
    Entry before = kv.get(key);
    index++;
    kvIndex = index;
    kv.put(key, new Entry(text.getBytes(StandardCharsets.UTF_8), before == null ? index : before.createIndex(), index));
    notifyAll();
  }

  /** Removes {@code key}, as {@code consul kv delete} does. */
  public synchronized void deleteKv(String key) {
    if (kv.remove(key) != null) {
      index++;
      kvIndex = index;
      notifyAll();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ttlTimer.shutdownNow();
  }

  private void start(int onPort) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    http.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-consul-http");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/", this::handle);
    http.start();
    server = http;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (down()) {
        drop(exchange, path);
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      requests.add(new Request(exchange.getRequestMethod(), path, query,
          exchange.getRequestHeaders().getFirst("X-Consul-Token")));
      Map<String, String> params = params(query);
      if (path.startsWith("/v1/kv/")) {
        kv(exchange, path.substring("/v1/kv/".length()), params);
      } else if (path.startsWith("/v1/health/service/")) {
        health(exchange, path.substring("/v1/health/service/".length()), params);
      } else if (path.equals("/v1/agent/service/register")) {
        register(json.readTree(exchange.getRequestBody()));
        reply(exchange, 200, "");
      } else if (path.startsWith("/v1/agent/service/deregister/")) {
        deregister(path.substring("/v1/agent/service/deregister/".length()));
        reply(exchange, 200, "");
      } else if (path.startsWith("/v1/agent/check/pass/service:")) {
        String id = path.substring("/v1/agent/check/pass/service:".length());
        boolean known = pass(id);
        reply(exchange, known ? 200 : 404, known ? "" : "CheckID \"service:" + id + "\" does not have associated TTL");
      } else {
        reply(exchange, 404, "not in the fake: " + path);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void health(HttpExchange exchange, String name, Map<String, String> params) throws IOException, InterruptedException {
    long wanted = Long.parseLong(params.getOrDefault("index", "0"));
    long waitMillis = parseWait(params.getOrDefault("wait", "5m"));
    boolean passingOnly = params.containsKey("passing");
    ArrayNode body = json.createArrayNode();
    long now;
    boolean waitRanOut;
    boolean stopped;
    synchronized (this) {
      long end = System.currentTimeMillis() + Math.min(waitMillis, 10_000);
      while (!down && wanted > 0 && index <= wanted && System.currentTimeMillis() < end) {
        wait(Math.max(1, end - System.currentTimeMillis()));
      }
      stopped = down;
      now = index;
      waitRanOut = wanted > 0 && index <= wanted;
      for (Instance instance : instances.values()) {
        String checkStatus = status.get(instance.id());
        if (instance.name().equals(name) && (!passingOnly || "passing".equals(checkStatus))) {
          body.add(entry(instance, checkStatus));
        }
      }
    }
    if (stopped) { // stopped while it waited
      drop(exchange, exchange.getRequestURI().getPath());
      return;
    }
    exchange.getResponseHeaders().add("X-Consul-Index", Long.toString(now));
    exchange.getResponseHeaders().add("X-Consul-KnownLeader", "true");
    exchange.getResponseHeaders().add("X-Consul-LastContact", "0");
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    synchronized (healthAnswers) {
      healthAnswers.add(new HealthAnswer(wanted, now, waitRanOut));
      healthAnswers.notifyAll();
    }
    reply(exchange, 200, json.writeValueAsString(body));
  }

  private void kv(HttpExchange exchange, String key, Map<String, String> params) throws IOException, InterruptedException {
    switch (exchange.getRequestMethod()) {
      case "PUT" -> {
        putKv(key, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        reply(exchange, 200, "true");
        return;
      }
      case "DELETE" -> {
        deleteKv(key);
        reply(exchange, 200, "true");
        return;
      }
      default -> { }
    }
    long wanted = Long.parseLong(params.getOrDefault("index", "0"));
    long waitMillis = parseWait(params.getOrDefault("wait", "5m"));
    boolean recurse = params.containsKey("recurse");
    ArrayNode body = json.createArrayNode();
    long now;
    boolean stopped;
    synchronized (this) {
      long end = System.currentTimeMillis() + Math.min(waitMillis, 10_000);
      while (!down && wanted > 0 && kvIndex <= wanted && System.currentTimeMillis() < end) {
        wait(Math.max(1, end - System.currentTimeMillis()));
      }
      stopped = down;
      now = kvIndex;
      for (Map.Entry<String, Entry> e : kv.entrySet()) {
        if (recurse ? e.getKey().startsWith(key) : e.getKey().equals(key)) {
          ObjectNode entry = body.addObject();
          entry.put("LockIndex", 0);
          entry.put("Key", e.getKey());
          entry.put("Flags", 0);
          entry.put("Value", java.util.Base64.getEncoder().encodeToString(e.getValue().value()));
          entry.put("CreateIndex", e.getValue().createIndex());
          entry.put("ModifyIndex", e.getValue().modifyIndex());
        }
      }
    }
    if (stopped) {
      drop(exchange, exchange.getRequestURI().getPath());
      return;
    }
    exchange.getResponseHeaders().add("X-Consul-Index", Long.toString(now));
    exchange.getResponseHeaders().add("X-Consul-KnownLeader", "true");
    exchange.getResponseHeaders().add("X-Consul-LastContact", "0");
    if (body.isEmpty()) {
      reply(exchange, 404, "");
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    reply(exchange, 200, json.writeValueAsString(body));
  }

  private ObjectNode entry(Instance instance, String checkStatus) {
    ObjectNode entry = json.createObjectNode();
    ObjectNode node = entry.putObject("Node");
    node.put("ID", "40e4a748-2192-161a-0510-9bf59fe950b5");
    node.put("Node", "fake-node");
    node.put("Address", "127.0.0.1");
    node.put("Datacenter", "dc1");
    node.putObject("TaggedAddresses").put("lan", "127.0.0.1").put("wan", "127.0.0.1");
    node.putObject("Meta");
    ObjectNode service = entry.putObject("Service");
    service.put("ID", instance.id());
    service.put("Service", instance.name());
    service.putArray("Tags");
    service.put("Address", instance.address());
    service.set("Meta", instance.meta() == null || instance.meta().isNull() ? json.createObjectNode() : instance.meta());
    service.put("Port", instance.port());
    service.putObject("Weights").put("Passing", instance.weight()).put("Warning", 1);
    service.put("EnableTagOverride", false);
    ArrayNode checks = entry.putArray("Checks");
    checks.add(check("serfHealth", "Serf Health Status", "passing", "", ""));
    checks.add(check("service:" + instance.id(), "Service '" + instance.name() + "' check", checkStatus,
        instance.id(), instance.name()));
    return entry;
  }

  private ObjectNode check(String id, String name, String checkStatus, String serviceId, String serviceName) {
    ObjectNode check = json.createObjectNode();
    check.put("Node", "fake-node");
    check.put("CheckID", id);
    check.put("Name", name);
    check.put("Status", checkStatus);
    check.put("Notes", "");
    check.put("Output", "");
    check.put("ServiceID", serviceId);
    check.put("ServiceName", serviceName);
    check.putArray("ServiceTags");
    return check;
  }

  private synchronized void register(JsonNode r) {
    String id = r.hasNonNull("ID") ? r.get("ID").asText() : r.get("Id").asText();
    JsonNode check = r.path("Check");
    long ttl = check.hasNonNull("TTL") ? parseWait(check.get("TTL").asText()) : 0;
    instances.put(id, new Instance(id, r.get("Name").asText(), r.path("Address").asText(), r.get("Port").asInt(),
        r.get("Meta"), r.path("Weights").path("Passing").asInt(1), ttl));
    status.put(id, ttl > 0 ? "critical" : "passing");
    changed();
  }

  private synchronized void deregister(String id) {
    instances.remove(id);
    status.remove(id);
    changed();
  }

  private synchronized boolean pass(String id) {
    if (!instances.containsKey(id)) {
      return false;
    }
    if (deafTo.contains(id)) {
      return true;
    }
    passedAt.put(id, System.currentTimeMillis());
    if (!"passing".equals(status.put(id, "passing"))) {
      changed();
    }
    return true;
  }

  private synchronized void expireTtls() {
    if (down) {
      return;
    }
    long now = System.currentTimeMillis();
    for (Instance instance : instances.values()) {
      Long at = passedAt.get(instance.id());
      if (instance.ttlMillis() > 0 && at != null && now - at > instance.ttlMillis()
          && "passing".equals(status.get(instance.id()))) {
        status.put(instance.id(), "critical");
        changed();
      }
    }
  }

  private void changed() { // holding this
    index++;
    notifyAll();
  }

  private static long parseWait(String text) {
    if (text.endsWith("ms")) {
      return Long.parseLong(text.substring(0, text.length() - 2));
    }
    long number = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> number * 1000;
      case 'm' -> number * 60_000;
      default -> throw new IllegalArgumentException("wait: " + text);
    };
  }

  private static Map<String, String> params(String query) {
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static void reply(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
