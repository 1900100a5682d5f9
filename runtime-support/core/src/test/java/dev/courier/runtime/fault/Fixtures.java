package dev.courier.runtime.fault;

import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.discovery.Endpoint;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Shared bits of the fault tests. */
final class Fixtures {
  static final int THREADS = 16;

  private Fixtures() {}

  static ClientBuilder<ClientRuntime> client(List<Integer> ports) {
    return ClientBuilder.forService("fault.Echo", runtime -> runtime)
        .endpoints(ports.stream().map(p -> Endpoint.of("127.0.0.1", p)).toList());
  }

  static List<Integer> ports(FaultReplica... replicas) {
    return IntStream.range(0, replicas.length).mapToObj(i -> replicas[i].port()).toList();
  }

  /** Request ids executed more than once over all the given per-id counts, with their count. */
  static Map<String, Integer> executedMoreThanOnce(Collection<Map<String, AtomicInteger>> counts) {
    Map<String, Integer> total = new java.util.HashMap<>();
    for (Map<String, AtomicInteger> m : counts) {
      m.forEach((id, n) -> total.merge(id, n.get(), Integer::sum));
    }
    total.values().removeIf(n -> n <= 1);
    return total;
  }
}
