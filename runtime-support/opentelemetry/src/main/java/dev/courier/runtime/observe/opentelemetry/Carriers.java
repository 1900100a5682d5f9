package dev.courier.runtime.observe.opentelemetry;

import io.grpc.Metadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Map;

/**
 * Where a propagator reads and writes the trace context: gRPC metadata (ASCII headers, a value
 * already there replaced) and queue headers (a string map, which Kafka carries as record headers).
 */
// TextMapGetter.keys is deprecated in OpenTelemetry 1.68, but propagators still call it.
@SuppressWarnings("deprecation")
final class Carriers {
  private Carriers() {}

  static final TextMapSetter<Metadata> METADATA_SETTER = (headers, name, value) -> {
    if (headers != null) {
      Metadata.Key<String> key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
      headers.removeAll(key);
      headers.put(key, value);
    }
  };

  static final TextMapGetter<Metadata> METADATA_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Metadata headers) {
      return headers.keys();
    }

    @Override
    public String get(Metadata headers, String name) {
      return headers == null || name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
          ? null : headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }
  };

  static final TextMapSetter<Map<String, String>> MAP_SETTER = (headers, name, value) -> {
    if (headers != null) {
      headers.put(name, value);
    }
  };

  static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> headers) {
      return headers.keySet();
    }

    @Override
    public String get(Map<String, String> headers, String name) {
      return headers == null ? null : headers.get(name);
    }
  };
}
