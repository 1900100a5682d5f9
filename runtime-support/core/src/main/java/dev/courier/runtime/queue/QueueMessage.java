package dev.courier.runtime.queue;

import java.util.Map;
import java.util.Objects;

/**
 * One message on a queue: an optional key (calls with one key stay in order), the call's envelope
 * (its {@link CallId}, deadline, reply address and, on a failed reply, the status), further string
 * headers (the caller's metadata, trace context, the reasons of a dead letter) and an opaque body
 * (the protobuf-encoded request or response).
 *
 * <p>The envelope's fields are typed, not headers: a transport carries them as it likes ({@link
 * dev.courier.runtime.queue.memory.InMemoryQueue InMemoryQueue} as they are, Kafka as one binary header, {@link QueueEnvelope}), so that no
 * message needs a header map, a string id or a number printed as text. {@link #headers()} is empty
 * (and allocation-free) unless the caller sent metadata or tracing is on.
 *
 * <p>Immutable and thread-safe, except that {@link #body()} returns the array itself, which callers
 * must not modify.
 *
 * <p>Part of the transport SPI: a {@link QueueTransport} carries these between the runtimes.
 */
public final class QueueMessage {
  /** The {@link #deadlineMillis()} of a message without a deadline. */
  public static final long NO_DEADLINE = 0;

  private final String key;
  /** The id as its two numbers (no object per message on the hot paths); valid when {@link #hasId}. */
  private final long idHigh;
  private final long idLow;
  private final boolean hasId;
  /** {@link #id()}, made when first asked for. */
  private CallId id;
  private final long deadlineMillis;
  private final String replyTo;
  private final int status;
  private final String statusMessage;
  private final Map<String, String> headers;
  private final byte[] body;

  private QueueMessage(Builder b) {
    this(b.key, b.id, b.deadlineMillis, b.replyTo, b.status, b.statusMessage, Map.copyOf(b.headers), b.body);
  }

  private QueueMessage(String key, CallId id, long deadlineMillis, String replyTo, int status, String statusMessage,
      Map<String, String> headers, byte[] body) {
    this(key, id != null, id == null ? 0 : id.high(), id == null ? 0 : id.low(), deadlineMillis, replyTo, status,
        statusMessage, headers, body);
    this.id = id;
  }

  private QueueMessage(String key, boolean hasId, long idHigh, long idLow, long deadlineMillis, String replyTo,
      int status, String statusMessage, Map<String, String> headers, byte[] body) {
    this.key = key;
    this.hasId = hasId;
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.deadlineMillis = deadlineMillis;
    this.replyTo = replyTo;
    this.status = status;
    this.statusMessage = statusMessage;
    this.headers = headers;
    this.body = body;
  }

  /** A builder of a message with {@code body}; everything else is absent until set. */
  public static Builder builder(byte[] body) {
    return new Builder(Objects.requireNonNull(body, "body"));
  }

  /**
   * A request as the runtimes and transports build it, without a builder or a header copy.
   * <b>Transport SPI</b>: {@code headers} must be unmodifiable, hold no nulls, and not be changed
   * afterwards; application code uses {@link #builder}.
   *
   * @param deadlineMillis when the caller stops waiting, ms since the epoch; {@link #NO_DEADLINE} for none
   * @param replyTo the reply queue's address; {@code null} for a call that waits for no reply
   */
  public static QueueMessage request(String key, CallId id, long deadlineMillis, String replyTo,
      Map<String, String> headers, byte[] body) {
    return new QueueMessage(key, id, deadlineMillis, replyTo, 0, null, headers, body);
  }

  /**
   * A reply to the call {@code id}: {@code status} 0 (OK) with the response as {@code body}, or a
   * gRPC status code and its description with an empty body.
   */
  public static QueueMessage reply(CallId id, int status, String statusMessage, byte[] body) {
    return new QueueMessage(null, id, NO_DEADLINE, null, status, statusMessage, Map.of(), body);
  }

  /**
   * Any message, field by field, as a transport decodes it. <b>Transport SPI</b>, with the same
   * rule for {@code headers} as {@link #request}.
   */
  public static QueueMessage of(String key, CallId id, long deadlineMillis, String replyTo, int status,
      String statusMessage, Map<String, String> headers, byte[] body) {
    return new QueueMessage(key, id, deadlineMillis, replyTo, status, statusMessage, headers, body);
  }

  /**
   * A request with the id {@code (idHigh, idLow)}, as {@link #request} makes it but without a
   * {@link CallId}; for the client runtime.
   */
  static QueueMessage request(String key, long idHigh, long idLow, long deadlineMillis, String replyTo,
      Map<String, String> headers, byte[] body) {
    return new QueueMessage(key, true, idHigh, idLow, deadlineMillis, replyTo, 0, null, headers, body);
  }

  /** A reply to the call {@code (idHigh, idLow)}, as {@link #reply} makes it; for the worker runtime. */
  static QueueMessage reply(long idHigh, long idLow, int status, String statusMessage, byte[] body) {
    return new QueueMessage(null, true, idHigh, idLow, NO_DEADLINE, null, status, statusMessage, Map.of(), body);
  }

  /** A message with the id {@code (idHigh, idLow)}, as {@link #of} makes it; for {@link QueueEnvelope}. */
  static QueueMessage withId(String key, long idHigh, long idLow, long deadlineMillis, String replyTo, int status,
      String statusMessage, Map<String, String> headers, byte[] body) {
    return new QueueMessage(key, true, idHigh, idLow, deadlineMillis, replyTo, status, statusMessage, headers, body);
  }

  /** The key, or {@code null} for none. */
  public String key() {
    return key;
  }

  /** The call's id, or {@code null} for a message that carries none (not from a Courier client). */
  public CallId id() {
    CallId made = id;
    if (made == null && hasId) {
      made = new CallId(idHigh, idLow);
      id = made; // immutable, so a race only makes a second equal one
    }
    return made;
  }

  /** Whether the message carries a call id. */
  public boolean hasId() {
    return hasId;
  }

  /** {@link CallId#high()} of the id, without making a {@link CallId}; 0 without an id. */
  public long idHigh() {
    return idHigh;
  }

  /** {@link CallId#low()} of the id, without making a {@link CallId}; 0 without an id. */
  public long idLow() {
    return idLow;
  }

  /** When the caller stops waiting, in ms since the epoch; {@link #NO_DEADLINE} for none. */
  public long deadlineMillis() {
    return deadlineMillis;
  }

  /** Whether the message has a deadline. */
  public boolean hasDeadline() {
    return deadlineMillis != NO_DEADLINE;
  }

  /** The address to reply to, or {@code null} for a call that waits for no reply (and on replies). */
  public String replyTo() {
    return replyTo;
  }

  /** The gRPC status code of a reply; 0 (OK) for a success, and on requests. */
  public int status() {
    return status;
  }

  /** The status description of a failed reply, or {@code null}. */
  public String statusMessage() {
    return statusMessage;
  }

  /** The other headers (metadata, trace context, dead-letter reasons); unmodifiable, often empty. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The value of header {@code name}, or {@code null}. */
  public String header(String name) {
    return headers.isEmpty() ? null : headers.get(name);
  }

  /** The body; never {@code null}. Do not modify the returned array. */
  public byte[] body() {
    return body;
  }

  /** A copy with one header added or replaced. */
  public QueueMessage withHeader(String name, String value) {
    Builder b = toBuilder();
    b.header(name, value);
    return new QueueMessage(b);
  }

  private Builder toBuilder() {
    Builder b = new Builder(body);
    b.key = key;
    b.id = id();
    b.deadlineMillis = deadlineMillis;
    b.replyTo = replyTo;
    b.status = status;
    b.statusMessage = statusMessage;
    b.headers.putAll(headers);
    return b;
  }

  @Override
  public String toString() {
    return "QueueMessage{key=" + key + ", id=" + id() + (hasDeadline() ? ", deadline=" + deadlineMillis : "")
        + (replyTo == null ? "" : ", replyTo=" + replyTo) + (status == 0 ? "" : ", status=" + status
        + (statusMessage == null ? "" : " " + statusMessage)) + ", headers=" + headers + ", body=" + body.length
        + " bytes}";
  }

  /** Builds a {@link QueueMessage}; for tests, tools and transports off the hot path. Not thread-safe. */
  public static final class Builder {
    private final byte[] body;
    private final Map<String, String> headers = new java.util.LinkedHashMap<>();
    private String key;
    private CallId id;
    private long deadlineMillis = NO_DEADLINE;
    private String replyTo;
    private int status;
    private String statusMessage;

    private Builder(byte[] body) {
      this.body = body;
    }

    /** The key; {@code null} for none. */
    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /** The call's id. */
    public Builder id(CallId id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** The caller's deadline, ms since the epoch. */
    public Builder deadlineMillis(long deadlineMillis) {
      this.deadlineMillis = deadlineMillis;
      return this;
    }

    /** The reply queue's address. */
    public Builder replyTo(String replyTo) {
      this.replyTo = Objects.requireNonNull(replyTo, "replyTo");
      return this;
    }

    /** A reply's status code and description. */
    public Builder status(int status, String statusMessage) {
      this.status = status;
      this.statusMessage = statusMessage;
      return this;
    }

    /** One more header. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public QueueMessage build() {
      return new QueueMessage(this);
    }
  }
}
