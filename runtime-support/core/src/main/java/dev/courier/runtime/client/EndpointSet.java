package dev.courier.runtime.client;

import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.observe.CourierListener;
import io.grpc.ManagedChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The live endpoint set of one client: follows an {@link EndpointSource}, opens a channel per new
 * endpoint, keeps the channel (and load figures) of an endpoint that stays, and shuts down the
 * channel of one that leaves — gracefully, so its calls in flight finish (drain).
 *
 * <p>Thread-safe: updates are serialised; {@link #nodes()} is a volatile read of an immutable list
 * that is replaced, never mutated, so balancers may cache per list instance.
 */
final class EndpointSet implements EndpointSource.Listener, ClusterLatency, AutoCloseable {
  /** How long the fastest estimate read on every pick is cached: a millisecond-old figure is as good. */
  static final long FASTEST_REFRESH_NANOS = 1_000_000L;
  private final ChannelFactory channels;
  private final LongSupplier nanoClock;
  private final PassiveHealth health;
  private Map<String, EndpointNode> byAuthority = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this
  private volatile List<EndpointNode> nodes = List.of();
  private volatile Fastest fastest;

  /** The two lowest known estimates (as of the last samples) and whose the lowest is, taken at {@code at}. */
  private record Fastest(EndpointNode node, long lowest, long second, long at) {}

  private final CourierListener listener;

  EndpointSet(ChannelFactory channels, LongSupplier nanoClock, PassiveHealth health, CourierListener listener) {
    this.channels = channels;
    this.nanoClock = nanoClock;
    this.health = health;
    this.listener = listener;
  }

  List<EndpointNode> nodes() {
    return nodes;
  }

  /**
   * The median of the known latency estimates of the endpoints other than {@code self}, as of their
   * last samples, in ns; 0 when none is known. Read during an endpoint's warm-up only.
   */
  @Override
  public long typical(EndpointNode self) {
    List<EndpointNode> current = nodes;
    long[] estimates = new long[current.size()];
    int count = 0;
    for (EndpointNode node : current) {
      long estimate = node == self ? 0 : node.lastEstimateNanos();
      if (estimate > 0) {
        estimates[count++] = estimate;
      }
    }
    if (count == 0) {
      return 0;
    }
    Arrays.sort(estimates, 0, count);
    return count % 2 == 1 ? estimates[count / 2] : (estimates[count / 2 - 1] + estimates[count / 2]) / 2;
  }

  /**
   * The lowest known estimate of the endpoints other than {@code self}, as of their last samples;
   * recomputed at most once per {@value #FASTEST_REFRESH_NANOS} ns, since it is read on every pick.
   */
  @Override
  public long fastest(EndpointNode self, long now) {
    Fastest cached = fastest;
    if (cached == null || now - cached.at() >= FASTEST_REFRESH_NANOS || now - cached.at() < 0) {
      cached = lowestTwo(now);
      fastest = cached;
    }
    return cached.node() == self ? cached.second() : cached.lowest();
  }

  private Fastest lowestTwo(long now) {
    EndpointNode lowestNode = null;
    long lowest = 0;
    long second = 0;
    for (EndpointNode node : nodes) {
      long estimate = node.lastEstimateNanos();
      if (estimate <= 0) {
        continue;
      }
      if (lowest == 0 || estimate < lowest) {
        second = lowest;
        lowest = estimate;
        lowestNode = node;
      } else if (second == 0 || estimate < second) {
        second = estimate;
      }
    }
    return new Fastest(lowestNode, lowest, second, now);
  }

  @Override
  public synchronized void onEndpoints(List<Endpoint> endpoints) {
    if (closed) {
      return;
    }
    Map<String, EndpointNode> next = new LinkedHashMap<>();
    boolean serving = !byAuthority.isEmpty(); // endpoints of the first set start together, at a full share
    for (Endpoint endpoint : endpoints) {
      String authority = endpoint.authority();
      if (next.containsKey(authority)) {
        continue;
      }
      EndpointNode node = byAuthority.remove(authority);
      if (node == null) {
        node = new EndpointNode(endpoint, channels.create(endpoint), nanoClock, health, listener, this);
        if (serving) {
          node.join(nanoClock.getAsLong());
        }
      } else {
        node.update(endpoint);
      }
      next.put(authority, node);
    }
    for (EndpointNode removed : byAuthority.values()) {
      removed.channel().shutdown();
    }
    byAuthority = next;
    nodes = List.copyOf(next.values());
  }

  /** Shuts every channel down, waits up to 5 s for calls to finish, then cancels the rest. */
  @Override
  public void close() {
    List<EndpointNode> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(byAuthority.values());
      byAuthority = Map.of();
      nodes = List.of();
    }
    for (EndpointNode node : all) {
      node.channel().shutdown();
    }
    for (EndpointNode node : all) {
      ManagedChannel channel = node.channel();
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
