package dev.courier.runtime.queue;

/**
 * The header names Courier puts on queue messages. Values are strings (UTF-8 on Kafka).
 *
 * <p>Requests carry {@link #REQUEST_ID}, {@link #CORRELATION_ID}, for calls that wait for a
 * reply, {@link #REPLY_TO} and {@link #DEADLINE}, and one {@link #METADATA_PREFIX} header per entry
 * of the caller's metadata. Replies carry {@link
 * #CORRELATION_ID} and, for failures only, {@link #STATUS} and {@link #STATUS_MESSAGE}. The request's
 * topic (or in-memory queue) names its method, so requests do not repeat it. Dead letters keep the
 * request's headers and add {@link #METHOD}, {@link #ERROR} and {@link #ATTEMPTS}.
 *
 * <p>Names and ids are short, all names starting {@code c-} (for Courier), because Kafka pays for
 * header bytes on every record, and for header names more than once: the producer measures each
 * name's UTF-8 length several times per record, the broker parses every header, and the consumer
 * decodes every name. Names of 70 characters a request (such as {@code courier-correlation-id})
 * instead of the 27 these take cost about a tenth of Courier's throughput on the benchmark's busy
 * broker. Ids are a 16-character client tag, a dot and a base-36 counter.
 */
public final class QueueHeaders {
  /** Identifies one logical request; duplicates share it and are run once. */
  public static final String REQUEST_ID = "c-id";
  /** Routes a reply to the waiting call. */
  public static final String CORRELATION_ID = "c-corr";
  /** The full gRPC method name, {@code package.Service/Method}; on dead letters. */
  public static final String METHOD = "c-method";
  /** The address of the reply queue (on Kafka: the reply topic). Absent for fire-and-forget. */
  public static final String REPLY_TO = "c-reply";
  /** When the caller stops waiting, in milliseconds since the epoch. Absent for none. */
  public static final String DEADLINE = "c-deadline";
  /** The gRPC status code of a failed reply, as a number; a reply without it is a success. */
  public static final String STATUS = "c-status";
  /** The gRPC status description of a failed reply. */
  public static final String STATUS_MESSAGE = "c-status-message";
  /** Why a message was dead-lettered. */
  public static final String ERROR = "c-error";
  /**
   * Starts the name of each header that carries one entry of the caller's metadata ({@code
   * QueueClientRuntime.withMetadata}): {@code c-m-x-tenant: acme}; a worker's handler reads them
   * back through {@code CallContext.current()}.
   */
  public static final String METADATA_PREFIX = "c-m-";
  /** How many times the handler ran before the message was dead-lettered. */
  public static final String ATTEMPTS = "c-attempts";

  private QueueHeaders() {}
}
