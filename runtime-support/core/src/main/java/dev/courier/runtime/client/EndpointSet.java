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
final class EndpointSet implements EndpointSource.Listener, AutoCloseable {
  private final ChannelFactory channels;
  private final LongSupplier nanoClock;
  private final PassiveHealth health;
  private Map<String, EndpointNode> byAuthority = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this
  private volatile List<EndpointNode> nodes = List.of();

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
   * The median of the known latency estimates of the endpoints other than {@code self}, in ns; 0
   * when none is known. Where a new endpoint's estimate starts (see {@link EndpointNode}); it runs
   * once per endpoint, at its first sample.
   */
  long clusterEstimate(EndpointNode self) {
    List<EndpointNode> current = nodes;
    long[] estimates = new long[current.size()];
    int count = 0;
    for (EndpointNode node : current) {
      long estimate = node == self ? 0 : node.latencyNanos();
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
        node = new EndpointNode(endpoint, channels.create(endpoint), nanoClock, health, listener, this::clusterEstimate);
        if (serving) {
          node.startSlowStart(nanoClock.getAsLong());
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
