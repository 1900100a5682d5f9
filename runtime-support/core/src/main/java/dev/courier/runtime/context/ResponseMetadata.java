package dev.courier.runtime.context;

import io.grpc.Metadata;

/**
 * The headers and trailers a service method adds to its response, until they are sent. The server
 * merges them into what it sends: the headers with the first message, the trailers at the end.
 * Thread-safe: a method may answer from another thread.
 */
final class ResponseMetadata {
  private final Metadata headers = new Metadata();
  private final Metadata trailers = new Metadata();
  private boolean headersSent;
  private boolean closed;

  synchronized <T> void addHeader(Metadata.Key<T> key, T value) {
    if (headersSent) {
      throw new IllegalStateException("The response headers were already sent (with the first response message):"
          + " set headers before the first response, or use setTrailer");
    }
    headers.put(key, value);
  }

  synchronized <T> void addTrailer(Metadata.Key<T> key, T value) {
    if (closed) {
      throw new IllegalStateException("The call already ended: its trailers were sent");
    }
    trailers.put(key, value);
  }

  /** Adds the pending headers to {@code outgoing}; later {@link #addHeader} calls fail. */
  synchronized void sendHeaders(Metadata outgoing) {
    headersSent = true;
    outgoing.merge(headers);
  }

  /**
   * Adds the pending trailers to {@code outgoing}, and the headers too when none were sent (a
   * call that ends without a message answers with trailers only).
   */
  synchronized void close(Metadata outgoing) {
    if (!headersSent) {
      headersSent = true;
      outgoing.merge(headers);
    }
    closed = true;
    outgoing.merge(trailers);
  }
}
