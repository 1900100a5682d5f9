package dev.courier.runtime.discovery;

import java.util.List;

/** A fixed list, delivered once on subscription. Immutable. */
final class StaticEndpointSource implements EndpointSource {
  private final List<Endpoint> endpoints;

  StaticEndpointSource(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    listener.onEndpoints(endpoints);
    return () -> { };
  }

  @Override
  public String toString() {
    return "static" + endpoints;
  }
}
