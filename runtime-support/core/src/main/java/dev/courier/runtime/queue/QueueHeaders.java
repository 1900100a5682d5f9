package dev.courier.runtime.queue;

/**
 * The header names Courier puts on queue messages.
 *
 * <p>Every request and reply carries one binary header, {@link #ENVELOPE}: the call's id,
 * deadline, reply address and reply status in {@link QueueEnvelope}'s format. Other headers are
 * text (UTF-8 on Kafka), and present only when there is something to say: one {@link
 * #METADATA_PREFIX} header per entry of the caller's metadata, the trace context a tracing
 * listener adds (W3C {@code traceparent}, {@code tracestate}, {@code baggage}), and on dead letters
 * {@link #METHOD}, {@link #ERROR} and {@link #ATTEMPTS}. The request's topic (or in-memory queue)
 * names its method, so requests do not repeat it.
 *
 * <p>One header and no text: Kafka pays for every header of every record, in the producer (which
 * encodes and measures each name), the broker and the consumer (which decodes each name), and
 * Courier's four text headers of earlier versions ({@code c-id}, {@code c-corr}, {@code c-reply},
 * {@code c-deadline}), their string ids and the header map per message cost about a third of the
 * throughput against a raw kafka-clients loop with 256 calls outstanding.
 */
public final class QueueHeaders {
  /** The binary envelope of every request and reply; see {@link QueueEnvelope}. */
  public static final String ENVELOPE = "c";
  /**
   * The request id, as {@link CallId#toString()}, in the header map a worker hands to {@code
   * CourierListener.traceQueueWork} (it is not a header on the wire; the envelope carries it).
   */
  public static final String REQUEST_ID = "c-id";
  /** The full gRPC method name, {@code package.Service/Method}; on dead letters. */
  public static final String METHOD = "c-method";
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
