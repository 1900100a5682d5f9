package dev.courier.runtime.server;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.notNegative;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server call handler that lets at most {@code limit} calls of one method run at a time and
 * refuses the others at once with {@code RESOURCE_EXHAUSTED}, before the method runs and without
 * queueing them. A client may therefore retry a refused call on another replica; Courier clients
 * do so for idempotent methods.
 *
 * <p>A call counts from the moment it starts until the server closes it (answer or error) or the
 * client cancels it, whichever comes first. Each {@link CourierServer} holds its own counters (see
 * {@link #fresh}). Thread-safe.
 */
final class ConcurrencyLimit<ReqT, RespT> implements ServerCallHandler<ReqT, RespT> {
  private final String fullMethodName;
  /** The limit for calls that start from now on; 0 for none. Changed by live configuration only. */
  private volatile int limit;
  /** The limit without live configuration (declared or the builder's); 0 for none. */
  private final int staticLimit;
  private final ServerCallHandler<ReqT, RespT> next;
  private final AtomicInteger inFlight = new AtomicInteger();

  ConcurrencyLimit(String fullMethodName, int limit, ServerCallHandler<ReqT, RespT> next) {
    this.fullMethodName = fullMethodName;
    this.limit = atLeastOne("maxConcurrency", limit);
    this.staticLimit = this.limit;
    this.next = next;
  }

  /** A limit that live configuration may set, change or remove ({@code limit} 0: none for now). */
  private ConcurrencyLimit(String fullMethodName, int limit, ServerCallHandler<ReqT, RespT> next, boolean live) {
    this.fullMethodName = fullMethodName;
    this.limit = notNegative("maxConcurrency", limit);
    this.staticLimit = this.limit;
    this.next = next;
  }

  /**
   * {@code service} as one server runs it under live configuration: as {@link #forServer}, but
   * every method gets a limit that {@code live} can change while the server runs.
   */
  static ServerServiceDefinition forServer(ServerServiceDefinition service, Map<String, Integer> overrides,
      LiveConcurrency live) {
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service.getServiceDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      builder.addMethod(live(method, overrides, live));
    }
    return builder.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> live(
      ServerMethodDefinition<ReqT, RespT> method, Map<String, Integer> overrides, LiveConcurrency live) {
    String name = method.getMethodDescriptor().getFullMethodName();
    ServerCallHandler<ReqT, RespT> handler = method.getServerCallHandler();
    int declared = handler instanceof ConcurrencyLimit<ReqT, RespT> limited ? limited.staticLimit : 0;
    ServerCallHandler<ReqT, RespT> base = handler instanceof ConcurrencyLimit<ReqT, RespT> limited ? limited.next : handler;
    ConcurrencyLimit<ReqT, RespT> limit =
        new ConcurrencyLimit<>(name, overrides.getOrDefault(name, declared), base, true);
    live.add(name, limit);
    return method.withServerCallHandler(limit);
  }

  /** The limit without live configuration: the builder's override, else the declared one; 0 for none. */
  int staticLimit() {
    return staticLimit;
  }

  /** Sets the limit for calls that start from now on (0: none); calls running keep running. */
  void limit(int newLimit) {
    this.limit = notNegative("maxConcurrency", newLimit);
  }

  /** The limit for calls that start now; 0 for none. */
  int limit() {
    return limit;
  }

  /**
   * {@code handler} limited to {@code limit} concurrent calls; {@code limit} 0 means no limit. A
   * handler that is already limited gets the new limit instead of a second one.
   */
  static <ReqT, RespT> ServerCallHandler<ReqT, RespT> apply(
      String fullMethodName, int limit, ServerCallHandler<ReqT, RespT> handler) {
    notNegative("maxConcurrency", limit);
    ServerCallHandler<ReqT, RespT> base = handler instanceof ConcurrencyLimit<ReqT, RespT> limited
        ? limited.next : handler;
    return limit == 0 ? base : new ConcurrencyLimit<>(fullMethodName, limit, base);
  }

  /**
   * {@code service} as one server runs it: the limits in {@code overrides} (full method name to
   * limit, 0 for none) replace the declared ones, and every limit gets counters of its own.
   */
  static ServerServiceDefinition forServer(ServerServiceDefinition service, Map<String, Integer> overrides) {
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service.getServiceDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      builder.addMethod(forServer(method, overrides));
    }
    return builder.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> forServer(
      ServerMethodDefinition<ReqT, RespT> method, Map<String, Integer> overrides) {
    String name = method.getMethodDescriptor().getFullMethodName();
    Integer override = overrides.get(name);
    ServerCallHandler<ReqT, RespT> handler = method.getServerCallHandler();
    if (override != null) {
      return method.withServerCallHandler(apply(name, override, handler));
    }
    if (handler instanceof ConcurrencyLimit<ReqT, RespT> limited) {
      return method.withServerCallHandler(limited.fresh());
    }
    return method;
  }

  /** The handler behind the limit. */
  ServerCallHandler<ReqT, RespT> inner() {
    return next;
  }

  /** The same limit with counters of its own, for one server. */
  ConcurrencyLimit<ReqT, RespT> fresh() {
    return new ConcurrencyLimit<>(fullMethodName, limit, next);
  }

  @Override
  public ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers) {
    int running = inFlight.incrementAndGet();
    int limit = this.limit;
    if (limit > 0 && running > limit) {
      inFlight.decrementAndGet();
      call.close(Status.RESOURCE_EXHAUSTED.withDescription(String.format(
          "%s is at its concurrency limit (maxConcurrency: %d); the call was refused before it ran,"
              + " retry it on another replica", fullMethodName, limit)), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Release release = new Release();
    try {
      ServerCall.Listener<ReqT> listener = next.startCall(new ReleasingCall<>(call, release), headers);
      return new ReleasingListener<>(listener, release);
    } catch (RuntimeException | Error e) {
      release.run();
      throw e;
    }
  }

  /** Gives the call's slot back exactly once. */
  private final class Release implements Runnable {
    private final AtomicBoolean done = new AtomicBoolean();

    @Override
    public void run() {
      if (done.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Releases the slot when the server closes the call, before the status goes out. */
  private static final class ReleasingCall<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private final Runnable release;

    ReleasingCall(ServerCall<ReqT, RespT> call, Runnable release) {
      super(call);
      this.release = release;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      release.run();
      super.close(status, trailers);
    }
  }

  /** Releases the slot when the client cancels, or when the call ends without a close seen here. */
  private static final class ReleasingListener<ReqT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final Runnable release;

    ReleasingListener(ServerCall.Listener<ReqT> listener, Runnable release) {
      super(listener);
      this.release = release;
    }

    @Override
    public void onCancel() {
      release.run();
      super.onCancel();
    }

    @Override
    public void onComplete() {
      release.run();
      super.onComplete();
    }
  }
}
