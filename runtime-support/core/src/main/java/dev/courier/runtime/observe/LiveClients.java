package dev.courier.runtime.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every Courier client, queue client and queue worker of this process, for the status page: each
 * registers as it is built and leaves as it is closed. Thread-safe; a snapshot asks each one for
 * its state at that moment.
 */
public final class LiveClients {
  private static final Map<Long, Supplier<ClientSnapshot>> LIVE = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong();

  private LiveClients() {}

  /** Registers {@code client}; closing the returned handle removes it (more than once is harmless). */
  public static AutoCloseable register(Supplier<ClientSnapshot> client) {
    Objects.requireNonNull(client, "client");
    long id = NEXT.incrementAndGet();
    LIVE.put(id, client);
    return () -> LIVE.remove(id);
  }

  /** The state of every registered client, in the order they registered. */
  public static List<ClientSnapshot> snapshot() {
    List<Long> ids = new ArrayList<>(LIVE.keySet());
    ids.sort(null);
    List<ClientSnapshot> all = new ArrayList<>(ids.size());
    for (Long id : ids) {
      Supplier<ClientSnapshot> client = LIVE.get(id);
      if (client != null) {
        try {
          all.add(client.get());
        } catch (RuntimeException e) {
          // A client closing meanwhile: it is gone from the next snapshot.
        }
      }
    }
    return all;
  }

  /**
   * One client's state. {@code kind} is {@code "client"}, {@code "queue client"} or {@code "queue
   * worker"}; {@code name} its service (or transport); {@code source} where its endpoints come
   * from, by type only (never an address with credentials); {@code retryBudget} a sentence, or
   * {@code ""}; {@code counters} by name ({@code "sent"}, {@code "dead-lettered"}, ...). Holds no
   * secrets: no metadata, credentials or configuration values.
   */
  public record ClientSnapshot(String kind, String name, String source, List<EndpointSnapshot> endpoints,
      String retryBudget, Map<String, Long> counters) {
    public ClientSnapshot {
      endpoints = List.copyOf(endpoints);
      counters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
    }
  }

  /**
   * One endpoint of a client: {@code health} is {@code "healthy"}, {@code "slow start"}, {@code
   * "ejected"} or {@code "probing"}; {@code ejections} since the client started; {@code
   * latencyNanos} the balancer's estimate (0 when none yet).
   */
  public record EndpointSnapshot(String authority, String health, long ejections, int inFlight, long latencyNanos) {}
}
