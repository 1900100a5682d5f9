package dev.courier.runtime.observe.micrometer;

import io.micrometer.core.instrument.Tags;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code rpc.service} and {@code rpc.method} of {@code pkg.Service/Method}, split as Micrometer's
 * gRPC convention splits them, built once per method. Thread-safe.
 */
final class MethodTags {
  private final ConcurrentMap<String, Tags> byMethod = new ConcurrentHashMap<>();

  Tags of(String fullMethod) {
    return byMethod.computeIfAbsent(fullMethod, m -> {
      int slash = m.lastIndexOf('/');
      return slash < 0 ? Tags.of("rpc.service", "", "rpc.method", m)
          : Tags.of("rpc.service", m.substring(0, slash), "rpc.method", m.substring(slash + 1));
    });
  }
}
