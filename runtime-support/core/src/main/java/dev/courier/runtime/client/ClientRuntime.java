package dev.courier.runtime.client;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.internal.Checks;
import dev.courier.runtime.retry.StopReason;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs the calls of one generated client. Generated code calls one method per RPC kind; the
 * runtime applies the effective policy and owns the channels. A unary call goes through:
 * <pre>
 *   deadline (covers every attempt)
 *     → attempts: {@link dev.courier.runtime.retry.RetryDecider} decides, after each failure,
 *       to retry (after exponential backoff with jitter, within the retry budget, up to
 *       maxAttempts) or to stop; a retry goes to an endpoint not tried yet when there is one
 *       → balancer pick among healthy endpoints (passive health ejects failing ones)
 *         → the endpoint's own gRPC channel
 * </pre>
 * A call that fails raises {@link CourierException} with every attempt (endpoint and status) and
 * the {@link StopReason} that stopped it. Streaming calls get the pick and the deadline, not retries.
 *
 * <p><b>Threads.</b> Thread-safe. By default (see {@link ChannelFactory#plaintext()}) gRPC runs
 * callbacks on its Netty event-loop threads, and futures returned by {@link #asyncUnary} complete
 * there: continuations attached with {@code thenApply}/{@code whenComplete} run on an event loop
 * and must not block (use the {@code ...Async} variants, or set {@link
 * ClientBuilder#callbackExecutor}). Stream observers are called on the same threads, one call at
 * a time per stream.
 *
 * <p>{@link #withDeadline}, {@link #withHashKey}, {@link #withMetadata}, {@link #withHeader} and
 * {@link #capturing} return views that share the channels; a view is immutable, and {@link #close} on any view
 * closes them all.
 *
 * <p><b>Call context.</b> Every attempt and hedge of a unary call, and every stream, goes through
 * the client's {@link ClientBuilder#interceptors interceptors} (the first given first), carries its
 * {@link ClientBuilder#callCredentials call credentials}, and sends the view's metadata: a retried
 * call sends the same headers on each attempt.
 */
public final class ClientRuntime implements AutoCloseable {
  private final CallPipeline pipeline;
  private final Duration deadline;
  private final String hashKey;
  /** Sent with every call of this view; {@code null} for none. Never changed once the view exists. */
  private final Metadata metadata;
  /** Gets the response metadata of this view's calls; {@code null} for none. */
  private final ResponseCapture capture;

  ClientRuntime(ClientConfig config) {
    this(new CallPipeline(config), null, null, null, null);
  }

  private ClientRuntime(CallPipeline pipeline, Duration deadline, String hashKey, Metadata metadata,
      ResponseCapture capture) {
    this.pipeline = pipeline;
    this.deadline = deadline;
    this.hashKey = hashKey;
    this.metadata = metadata;
    this.capture = capture;
  }

  /**
   * A view whose calls use {@code deadline} for the whole call instead of the declared one: not
   * negative. {@link Duration#ZERO}, as in grpc, is a deadline that has passed: a unary call fails
   * with {@code DEADLINE_EXCEEDED} before any attempt, a stream with {@code DEADLINE_EXCEEDED}.
   */
  public ClientRuntime withDeadline(Duration deadline) {
    Checks.notNegative("deadline", deadline);
    return new ClientRuntime(pipeline, deadline, hashKey, metadata, capture);
  }

  /** A view whose calls use {@code key} as the hash key instead of the request's field. */
  public ClientRuntime withHashKey(String key) {
    Objects.requireNonNull(key, "key");
    return new ClientRuntime(pipeline, deadline, key, metadata, capture);
  }

  /**
   * A view whose calls send {@code headers} too, on every attempt and hedge of a unary call and
   * with every stream, after this view's own metadata (a key given twice is sent with both
   * values). {@code headers} is copied: changing it later changes no view.
   */
  public ClientRuntime withMetadata(Metadata headers) {
    Objects.requireNonNull(headers, "headers");
    Metadata merged = new Metadata();
    if (metadata != null) {
      merged.merge(metadata);
    }
    merged.merge(headers);
    return new ClientRuntime(pipeline, deadline, hashKey, merged, capture);
  }

  /** A view whose calls send the header {@code key: value} too; see {@link #withMetadata}. */
  public ClientRuntime withHeader(Metadata.Key<String> key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Metadata headers = new Metadata();
    headers.put(key, value);
    return withMetadata(headers);
  }

  /** A view whose calls send the text header {@code name: value} too; see {@link #withMetadata}. */
  public ClientRuntime withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    return withHeader(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
  }

  /**
   * A view whose calls record their response headers and trailers in {@code capture} before their
   * outcome is delivered (see {@link ResponseCapture}). Views without one do no such work.
   */
  public ClientRuntime capturing(ResponseCapture capture) {
    Objects.requireNonNull(capture, "capture");
    return new ClientRuntime(pipeline, deadline, hashKey, metadata, capture);
  }

  /**
   * A unary call that waits for its answer.
   *
   * @throws CourierException when the call fails, with the caller's stack trace and the
   *     exception the call completed with as its cause (see {@link CourierException#withCallerStack});
   *     an interrupt cancels the call and fails it with {@code CANCELLED} (the thread's interrupt
   *     flag is set again)
   */
  public <ReqT, RespT> RespT blockingUnary(RpcMethod<ReqT, RespT> method, ReqT request) {
    UnaryCall<ReqT, RespT> call = new UnaryCall<>(pipeline, method, request, hashKey, deadline, metadata, capture).start();
    try {
      return call.await();
    } catch (InterruptedException e) {
      call.cancel("interrupted");
      Thread.currentThread().interrupt();
      throw new CourierException(
          Status.CANCELLED.withDescription("interrupted").withCause(e), null, List.of(), StopReason.CANCELLED);
    } catch (ExecutionException e) {
      throw CourierException.from(e.getCause()).withCallerStack();
    }
  }

  /**
   * A unary call whose outcome completes the returned future: the response, or a {@link
   * CourierException}. Cancelling the future cancels the call. See the class comment for the
   * thread that completes it.
   */
  public <ReqT, RespT> CompletableFuture<RespT> asyncUnary(RpcMethod<ReqT, RespT> method, ReqT request) {
    return new UnaryCall<>(pipeline, method, request, hashKey, deadline, metadata, capture).start().future();
  }

  /**
   * A server-streaming call: responses arrive on {@code responses}. A failure arrives as a {@link
   * CourierException} with the status, the trailers and the one attempt (streams are not retried).
   */
  public <ReqT, RespT> void serverStreaming(
      RpcMethod<ReqT, RespT> method, ReqT request, StreamObserver<RespT> responses) {
    String key = hashKey != null ? hashKey : method.hashKeyOf(request).orElse(null);
    ClientCall<ReqT, RespT> call = StreamCalls.open(pipeline, method, key, deadline, metadata, capture);
    if (call == null) {
      responses.onError(noEndpoints());
      return;
    }
    ClientCalls.asyncServerStreamingCall(call, request, StreamCalls.observe(call, responses));
  }

  /**
   * A client-streaming call: write requests to the returned observer. Failures arrive as in
   * {@link #serverStreaming}.
   */
  public <ReqT, RespT> StreamObserver<ReqT> clientStreaming(
      RpcMethod<ReqT, RespT> method, StreamObserver<RespT> responses) {
    ClientCall<ReqT, RespT> call = StreamCalls.open(pipeline, method, hashKey, deadline, metadata, capture);
    if (call == null) {
      responses.onError(noEndpoints());
      return Discarding.instance();
    }
    return ClientCalls.asyncClientStreamingCall(call, StreamCalls.observe(call, responses));
  }

  /**
   * A bidirectional-streaming call: write requests to the returned observer. Failures arrive as in
   * {@link #serverStreaming}.
   */
  public <ReqT, RespT> StreamObserver<ReqT> bidiStreaming(
      RpcMethod<ReqT, RespT> method, StreamObserver<RespT> responses) {
    ClientCall<ReqT, RespT> call = StreamCalls.open(pipeline, method, hashKey, deadline, metadata, capture);
    if (call == null) {
      responses.onError(noEndpoints());
      return Discarding.instance();
    }
    return ClientCalls.asyncBidiStreamingCall(call, StreamCalls.observe(call, responses));
  }

  private CourierException noEndpoints() {
    return new CourierException(
        Status.UNAVAILABLE.withDescription(pipeline.noEndpoints()), null, List.of(), null);
  }

  /** Closes every channel; calls in flight get up to 5 s to finish, then are cancelled. */
  @Override
  public void close() {
    pipeline.close();
  }

  /** The request observer of a stream that could not start: drops what it is given. */
  private static final class Discarding<T> implements StreamObserver<T> {
    private static final Discarding<Object> INSTANCE = new Discarding<>();

    @SuppressWarnings("unchecked")
    static <T> StreamObserver<T> instance() {
      return (StreamObserver<T>) INSTANCE;
    }

    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
