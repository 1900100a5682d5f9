package dev.courier.runtime.discovery;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A source whose set is replaced by calling {@link #set}; for tests, and for wiring a registry
 * client that pushes changes. Thread-safe: listeners are called on the thread that calls
 * {@code set}, in subscription order.
 */
public final class MutableEndpointSource implements EndpointSource {
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile List<Endpoint> current;

  public MutableEndpointSource(List<Endpoint> initial) {
    this.current = List.copyOf(initial);
  }

  /** Replaces the set and tells every subscriber. */
  public synchronized void set(List<Endpoint> endpoints) {
    current = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
    for (Listener listener : listeners) {
      listener.onEndpoints(current);
    }
  }

  /** The current set. */
  public List<Endpoint> get() {
    return current;
  }

  @Override
  public synchronized AutoCloseable subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    listener.onEndpoints(current);
    return () -> listeners.remove(listener);
  }
}
