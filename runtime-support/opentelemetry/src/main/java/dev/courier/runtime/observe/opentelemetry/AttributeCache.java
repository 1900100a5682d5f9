package dev.courier.runtime.observe.opentelemetry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link RpcAttributes} of each method, built once and then read from a concurrent map. At
 * most {@code maxMethods} methods are kept; after that a metric cache answers {@code _OTHER} (as
 * the semantic conventions ask for methods beyond what an instrumentation tracks, so cardinality
 * stays bounded), and a span cache builds the method's attributes afresh each time (a span names
 * its real method). Thread-safe.
 */
final class AttributeCache {
  static final String OTHER_METHOD = "_OTHER";

  private final SemanticConventions conventions;
  private final String system;
  private final int maxMethods;
  private final boolean otherWhenFull;
  private final AtomicInteger slots = new AtomicInteger();
  private final ConcurrentMap<String, RpcAttributes> byMethod = new ConcurrentHashMap<>();
  private final RpcAttributes other;

  AttributeCache(SemanticConventions conventions, String system, int maxMethods, boolean otherWhenFull) {
    this.conventions = conventions;
    this.system = system;
    this.maxMethods = maxMethods;
    this.otherWhenFull = otherWhenFull;
    this.other = new RpcAttributes(conventions, system, OTHER_METHOD);
  }

  RpcAttributes get(String method) {
    RpcAttributes known = byMethod.get(method);
    if (known != null) {
      return known;
    }
    RpcAttributes added = byMethod.computeIfAbsent(method, m ->
        slots.getAndUpdate(n -> n < maxMethods ? n + 1 : n) < maxMethods
            ? new RpcAttributes(conventions, system, m) : null);
    if (added != null) {
      return added;
    }
    return otherWhenFull ? other : new RpcAttributes(conventions, system, method);
  }

  int size() {
    return byMethod.size();
  }
}
