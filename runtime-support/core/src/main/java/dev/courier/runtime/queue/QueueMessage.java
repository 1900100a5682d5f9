package dev.courier.runtime.queue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message on a queue: an optional key (calls with one key stay in order), string headers and
 * an opaque body (the protobuf-encoded request or response).
 *
 * <p>Immutable and thread-safe, except that {@link #body()} returns the array itself, which callers
 * must not modify.
 *
 * <p>Part of the transport SPI: a {@link QueueTransport} carries these between the runtimes.
 */
public final class QueueMessage {
  private final String key;
  private final Map<String, String> headers;
  private final byte[] body;

  private QueueMessage(String key, Map<String, String> headers, byte[] body) {
    this.key = key;
    this.headers = headers;
    this.body = body;
  }

  /** A message; {@code key} may be {@code null}, header values must not be. */
  public static QueueMessage of(String key, Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    return new QueueMessage(key, Map.copyOf(headers), body);
  }

  /**
   * A message on {@code headers} as they are, without the copy {@link #of} makes. <b>Transport
   * SPI</b>: for the queue runtimes and the transports ({@code queue.memory}, {@code queue.kafka}),
   * which build one message per call or per record and would otherwise copy every header map
   * twice. {@code headers} must be unmodifiable, hold no nulls, and not be changed by the caller
   * afterwards; application code uses {@link #of}.
   */
  public static QueueMessage wrap(String key, Map<String, String> headers, byte[] body) {
    return new QueueMessage(key, headers, body);
  }

  /** The key, or {@code null} for none. */
  public String key() {
    return key;
  }

  /** The headers; unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The value of header {@code name}, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The body; never {@code null}. Do not modify the returned array. */
  public byte[] body() {
    return body;
  }

  /** A copy with one header added or replaced. */
  public QueueMessage withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new QueueMessage(key, Map.copyOf(copy), body);
  }

  @Override
  public String toString() {
    return "QueueMessage{key=" + key + ", headers=" + headers + ", body=" + body.length + " bytes}";
  }
}
