package dev.courier.runtime.client;

import io.grpc.Metadata;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds the response headers and trailers of the last call made through a {@link
 * ClientRuntime#capturing capturing} view: the headers of the attempt that answered, and the
 * trailers that ended it (or those of the failure). A capture belongs to one call at a time: make a
 * view per call, or per thread, when calls run at once.
 *
 * <pre>{@code
 * ResponseCapture response = new ResponseCapture();
 * Stock stock = client.capturing(response).getStock(request);
 * String servedBy = response.header("x-served-by").orElse("?");
 * }</pre>
 *
 * <p>Filled before the call's outcome is delivered: once a blocking call returns, its future
 * completes, or its stream observer hears {@code onCompleted}/{@code onError}, the capture holds
 * that call's metadata. Thread-safe.
 */
public final class ResponseCapture {
  private volatile Metadata headers = new Metadata();
  private volatile Metadata trailers = new Metadata();

  /** The response headers of the last call (empty before any, or when the call failed before any arrived). */
  public Metadata headers() {
    return headers;
  }

  /** The trailers of the last call. */
  public Metadata trailers() {
    return trailers;
  }

  /** The last value of the text response header {@code name}. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(Metadata.Key.of(Objects.requireNonNull(name, "name"), Metadata.ASCII_STRING_MARSHALLER)));
  }

  /** The last value of the text trailer {@code name}. */
  public Optional<String> trailer(String name) {
    return Optional.ofNullable(trailers.get(Metadata.Key.of(Objects.requireNonNull(name, "name"), Metadata.ASCII_STRING_MARSHALLER)));
  }

  /** Records one call's metadata; {@code null} stands for none. */
  void record(Metadata headers, Metadata trailers) {
    this.headers = headers != null ? headers : new Metadata();
    this.trailers = trailers != null ? trailers : new Metadata();
  }

  @Override
  public String toString() {
    return "ResponseCapture[headers " + headers.keys() + ", trailers " + trailers.keys() + "]";
  }
}
