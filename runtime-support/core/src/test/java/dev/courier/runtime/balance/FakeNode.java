package dev.courier.runtime.balance;

import dev.courier.runtime.discovery.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A node with settable load, for balancer tests. Not thread-safe. */
final class FakeNode implements Node {
  private final Endpoint endpoint;
  int inFlight;
  long latencyNanos;
  double admission = 1.0;
  /** In slow start at a full share (the window after the ramp); {@link #warming()} is also true while admission ramps. */
  boolean held;

  FakeNode(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  static List<FakeNode> nodes(int count) {
    List<FakeNode> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(new FakeNode(Endpoint.of("10.0." + (i / 250) + "." + (i % 250 + 1), 8080)));
    }
    return List.copyOf(nodes);
  }

  static FakeNode weighted(int index, int weight) {
    return new FakeNode(new Endpoint("10.1.0." + (index + 1), 8080, weight, Map.of()));
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public long latencyNanos() {
    return latencyNanos;
  }

  @Override
  public double admission() {
    return admission;
  }

  @Override
  public boolean warming() {
    return held || admission < 1.0;
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }
}
