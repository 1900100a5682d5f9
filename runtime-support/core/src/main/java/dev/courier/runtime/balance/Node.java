package dev.courier.runtime.balance;

import dev.courier.runtime.discovery.Endpoint;

/**
 * What a {@link Balancer} sees of one endpoint. Implementations are thread-safe; the load values
 * change while calls run, so two reads may differ.
 */
public interface Node {
  /** The endpoint this node stands for. */
  Endpoint endpoint();

  /** Calls started on the endpoint and not finished yet. */
  int inFlight();

  /** An estimate of the endpoint's recent latency in nanoseconds; 0 when nothing is known yet. */
  long latencyNanos();
}
