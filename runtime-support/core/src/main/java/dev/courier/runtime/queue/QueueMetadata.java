package dev.courier.runtime.queue;

import dev.courier.runtime.context.CallContext;
import io.grpc.Deadline;
import io.grpc.Metadata;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries what a caller sends with a queue call to the worker's {@link CallContext}: each metadata
 * entry as a header {@link QueueHeaders#METADATA_PREFIX}{@code <name>} (a {@code -bin} value in
 * base64, as gRPC writes it on HTTP/2; one value per name, the last), and the caller's deadline
 * from the request's envelope. Pure functions, no state.
 */
final class QueueMetadata {
  private QueueMetadata() {}

  /** The headers that carry {@code metadata}; unmodifiable, built once per client view. */
  static Map<String, String> toHeaders(Metadata metadata) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : metadata.keys()) {
      String value;
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        byte[] bytes = last(metadata.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER)));
        value = bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
      } else {
        value = last(metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)));
      }
      if (value != null) {
        headers.put(QueueHeaders.METADATA_PREFIX + name, value);
      }
    }
    return Collections.unmodifiableMap(headers);
  }

  /**
   * The context a worker runs {@code method}'s handler in: the metadata the request carries and
   * {@code deadline}, the one it carries as the worker's clock reads it ({@code null} for none).
   */
  static CallContext context(String method, QueueMessage request, Deadline deadline) {
    CallContext.Builder context = CallContext.builder(method).queue();
    if (!request.headers().isEmpty()) {
      Metadata metadata = new Metadata();
      int prefix = QueueHeaders.METADATA_PREFIX.length();
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        String name = header.getKey();
        if (name.startsWith(QueueHeaders.METADATA_PREFIX) && name.length() > prefix) {
          put(metadata, name.substring(prefix), header.getValue());
        }
      }
      context.metadata(metadata);
    }
    if (deadline != null) {
      context.deadline(deadline);
    }
    return context.build();
  }

  private static void put(Metadata metadata, String name, String value) {
    try {
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        metadata.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), Base64.getDecoder().decode(value));
      } else {
        metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
      }
    } catch (IllegalArgumentException e) {
      // A name gRPC refuses or a value that is not base64: not from a Courier client; left out.
    }
  }

  private static <T> T last(Iterable<T> values) {
    T last = null;
    if (values != null) {
      for (T value : values) {
        last = value;
      }
    }
    return last;
  }
}
