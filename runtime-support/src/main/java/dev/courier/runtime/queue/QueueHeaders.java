package dev.courier.runtime.queue;

/**
 * The header names Courier puts on queue messages. Values are strings (UTF-8 on Kafka).
 *
 * <p>Requests carry {@link #REQUEST_ID}, {@link #CORRELATION_ID}, and, for calls that wait for a
 * reply, {@link #REPLY_TO} and {@link #DEADLINE}. Replies carry {@link
 * #CORRELATION_ID} and, for failures only, {@link #STATUS} and {@link #STATUS_MESSAGE}. Courier's ids are
 * short (a 16-character client tag, a dot, a base-36 counter) because Kafka pays for header bytes
 * on every record. The request's topic (or in-memory queue) names its method, so requests
 * do not repeat it. Dead letters keep the request's headers and add {@link #METHOD}, {@link #ERROR}
 * and {@link #ATTEMPTS}.
 */
public final class QueueHeaders {
  /** Identifies one logical request; duplicates share it and are run once. */
  public static final String REQUEST_ID = "courier-request-id";
  /** Routes a reply to the waiting call. */
  public static final String CORRELATION_ID = "courier-correlation-id";
  /** The full gRPC method name, {@code package.Service/Method}; on dead letters. */
  public static final String METHOD = "courier-method";
  /** The address of the reply queue (on Kafka: the reply topic). Absent for fire-and-forget. */
  public static final String REPLY_TO = "courier-reply-to";
  /** When the caller stops waiting, in milliseconds since the epoch. Absent for none. */
  public static final String DEADLINE = "courier-deadline";
  /** The gRPC status code of a failed reply, as a number; a reply without it is a success. */
  public static final String STATUS = "courier-status";
  /** The gRPC status description of a failed reply. */
  public static final String STATUS_MESSAGE = "courier-status-message";
  /** Why a message was dead-lettered. */
  public static final String ERROR = "courier-error";
  /** How many times the handler ran before the message was dead-lettered. */
  public static final String ATTEMPTS = "courier-attempts";

  private QueueHeaders() {}
}
