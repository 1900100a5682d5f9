package dev.courier.runtime.config;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A source a test pushes versions into, delivered on the pushing thread. */
public final class MutableConfigSource implements ConfigSource {
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final String origin;
  private volatile ConfigVersion current;
  private int revision;

  public MutableConfigSource(Map<String, String> initial) {
    this("test", initial);
  }

  /** A source that names itself {@code origin}, told apart from the other tests' sources. */
  public MutableConfigSource(String origin, Map<String, String> initial) {
    this.origin = origin;
    current = new ConfigVersion(initial, origin, "0");
  }

  /** Delivers {@code values} as the next version to every subscriber. */
  public synchronized void push(Map<String, String> values) {
    current = new ConfigVersion(values, origin, Integer.toString(++revision));
    listeners.forEach(l -> l.onVersion(current));
  }

  /** Tells every subscriber the source cannot be read. */
  public void fail(String reason) {
    listeners.forEach(l -> l.onUnavailable(origin, reason));
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    listeners.add(listener);
    listener.onVersion(current);
    return () -> listeners.remove(listener);
  }

  @Override
  public String toString() {
    return origin;
  }
}
